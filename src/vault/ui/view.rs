//! Drawing the [`App`]: the login window, or the archive list with the daily schedule,
//! a progress gauge while a transfer runs, the path prompt, the status line and the
//! keys.

use std::path::Path;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Gauge, Paragraph, Row, Table, TableState, Wrap};
use ratatui::Frame;

use super::app::{local_time, App, Field, PathPurpose, Screen, StatusKind};
use crate::tr_in;
use crate::vault::schedule;

impl App {
    /// Draws the whole screen into `frame`.
    pub fn render(&self, frame: &mut Frame) {
        let [title, body, progress, status, keys] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(5),
            Constraint::Length(if self.progress.snapshot().is_some() {
                1
            } else {
                0
            }),
            Constraint::Length(2),
            Constraint::Length(1),
        ])
        .areas(frame.area());
        let who = self
            .identity
            .as_deref()
            .map(|i| format!(" — {i}"))
            .unwrap_or_default();
        frame.render_widget(
            Line::from(format!("{}{who}", tr_in!(self.lang, "vault-ui-title"))).bold(),
            title,
        );
        match self.screen {
            Screen::Login => self.render_login(frame, body),
            Screen::Archives => self.render_archives(frame, body),
        }
        if let Some(s) = self.progress.snapshot() {
            let label = tr_in!(
                self.lang,
                "vault-ui-transfer",
                verb = s.direction.verb_in(self.lang),
                name = s.name.as_str(),
                done = indicatif::HumanBytes(s.done).to_string(),
                total = indicatif::HumanBytes(s.total).to_string()
            );
            frame.render_widget(
                Gauge::default()
                    .ratio(s.ratio())
                    .label(label)
                    .gauge_style(Style::new().fg(Color::Green)),
                progress,
            );
        }
        let style = match self.status.0 {
            StatusKind::Info => Style::new(),
            StatusKind::Busy => Style::new().fg(Color::Yellow),
            StatusKind::Error => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        };
        frame.render_widget(
            Paragraph::new(self.status.1.as_str())
                .style(style)
                .wrap(Wrap { trim: true }),
            status,
        );
        let help = match (self.screen, &self.input) {
            (_, Some(_)) => tr_in!(self.lang, "vault-ui-keys-input"),
            (Screen::Login, None) => tr_in!(self.lang, "vault-ui-keys-login"),
            (Screen::Archives, None) => tr_in!(self.lang, "vault-ui-keys-archives"),
        };
        frame.render_widget(Line::from(help).dim(), keys);
        if let Some(input) = &self.input {
            self.render_input(frame, body, input);
        }
    }

    fn render_login(&self, frame: &mut Frame, area: Rect) {
        let form = &self.login;
        let dots = "•".repeat(form.password.chars().count());
        let lang = self.lang;
        let rows = [
            (
                Field::Host,
                tr_in!(lang, "vault-ui-server-address"),
                form.host.clone(),
            ),
            (
                Field::Port,
                tr_in!(lang, "vault-ui-port"),
                form.port.clone(),
            ),
            (
                Field::User,
                tr_in!(lang, "vault-ui-user-name"),
                form.user.clone(),
            ),
            (Field::Password, tr_in!(lang, "vault-ui-password"), dots),
            (
                Field::Remember,
                tr_in!(lang, "vault-ui-remember-me"),
                format!(
                    "[{}] {}",
                    if form.remember { "x" } else { " " },
                    tr_in!(
                        lang,
                        "vault-ui-store-password",
                        path = self.dir.join("config.json").display().to_string()
                    )
                ),
            ),
        ];
        // The labels' column: the longest label and a space, 15 at least.
        let label_width = rows
            .iter()
            .map(|(_, label, _)| label.chars().count() + 1)
            .max()
            .unwrap_or(0)
            .max(15);
        let lines: Vec<Line> = rows
            .into_iter()
            .map(|(field, label, value)| {
                let focused = field == form.focus;
                let marker = if focused { "> " } else { "  " };
                let cursor = if focused && field != Field::Remember {
                    "_"
                } else {
                    ""
                };
                let line = Line::from(vec![
                    Span::raw(marker),
                    Span::raw(format!("{label:<label_width$}")),
                    Span::raw(format!("{value}{cursor}")),
                ]);
                if focused {
                    line.style(Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD))
                } else {
                    line
                }
            })
            .collect();
        let width = area.width.min(90);
        let height = area.height.min(9);
        let boxed = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        };
        frame.render_widget(
            Paragraph::new(lines)
                .block(Block::bordered().title(format!(" {} ", tr_in!(lang, "vault-ui-log-in")))),
            boxed,
        );
    }

    fn render_archives(&self, frame: &mut Frame, area: Rect) {
        // Room for the schedule: its rows, borders and header, at most half the body.
        let schedule_height = u16::try_from(self.schedule.len())
            .unwrap_or(u16::MAX)
            .saturating_add(3)
            .clamp(4, 12)
            .min(area.height / 2);
        let [list, daily] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(schedule_height)]).areas(area);
        let lang = self.lang;
        let header = Row::new([
            String::new(),
            tr_in!(lang, "vault-ui-column-file"),
            tr_in!(lang, "vault-ui-column-last-upload"),
            tr_in!(lang, "vault-ui-column-size"),
            tr_in!(lang, "vault-ui-column-archive"),
        ])
        .style(Style::new().add_modifier(Modifier::BOLD));
        let rows: Vec<Row> = self
            .archives
            .iter()
            .zip(&self.stale)
            .map(|(a, stale)| {
                let warn = if *stale { "⚠" } else { "" };
                Row::new([
                    Cell::from(warn).style(Style::new().fg(Color::Yellow)),
                    Cell::from(a.file_name.clone()),
                    Cell::from(a.uploaded.map(local_time).unwrap_or_else(|| "?".into())),
                    Cell::from(
                        a.size
                            .map(|n| indicatif::HumanBytes(n).to_string())
                            .unwrap_or_else(|| "?".into()),
                    ),
                    Cell::from(a.archive.clone()),
                ])
            })
            .collect();
        let title = if self.archives.is_empty() {
            tr_in!(lang, "vault-ui-archives-none")
        } else {
            let warned = self.stale.iter().filter(|s| **s).count();
            let n = self.archives.len().to_string();
            if warned > 0 {
                tr_in!(lang, "vault-ui-archives-stale", n = n)
            } else {
                tr_in!(lang, "vault-ui-archives", n = n)
            }
        };
        let title = format!(" {title} ");
        let table = Table::new(
            rows,
            [
                Constraint::Length(1),
                Constraint::Fill(2),
                Constraint::Length(16),
                Constraint::Length(10),
                Constraint::Fill(3),
            ],
        )
        .header(header)
        .block(Block::bordered().title(title))
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("> ");
        let mut state = TableState::default()
            .with_selected((!self.archives.is_empty()).then_some(self.selected));
        frame.render_stateful_widget(table, list, &mut state);

        let now = schedule::system_now();
        let rows: Vec<Row> = self
            .schedule
            .iter()
            .map(|(path, last)| {
                let name = Path::new(path)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| path.clone());
                let last_text = if *last <= 0 {
                    tr_in!(lang, "vault-never")
                } else {
                    unix_local(*last)
                };
                let next = if schedule::is_due(*last, now) {
                    tr_in!(lang, "vault-ui-due-now")
                } else {
                    unix_local(schedule::next_due(*last))
                };
                Row::new([name, last_text, next, path.clone()])
            })
            .collect();
        let title = if self.schedule.is_empty() {
            tr_in!(lang, "vault-ui-daily-none")
        } else {
            tr_in!(lang, "vault-ui-daily")
        };
        let title = format!(" {title} ");
        frame.render_widget(
            Table::new(
                rows,
                [
                    Constraint::Fill(2),
                    Constraint::Length(16),
                    Constraint::Length(16),
                    Constraint::Fill(3),
                ],
            )
            .header(
                Row::new([
                    tr_in!(lang, "vault-ui-column-file"),
                    tr_in!(lang, "vault-ui-column-last-upload"),
                    tr_in!(lang, "vault-ui-column-next-due"),
                    tr_in!(lang, "vault-ui-column-path"),
                ])
                .style(Style::new().add_modifier(Modifier::BOLD)),
            )
            .block(Block::bordered().title(title)),
            daily,
        );
    }

    fn render_input(&self, frame: &mut Frame, area: Rect, input: &super::app::PathInput) {
        let title = match input.purpose {
            PathPurpose::Upload => tr_in!(self.lang, "vault-ui-upload-title"),
            PathPurpose::Schedule => tr_in!(self.lang, "vault-ui-schedule-title"),
        };
        let title = format!(" {title} ");
        let mut lines = vec![Line::from(format!(
            "{} {}_",
            tr_in!(self.lang, "vault-ui-path"),
            input.text
        ))];
        if !input.candidates.is_empty() {
            lines.push(Line::from(input.candidates.join("  ")).dim());
        }
        let width = area.width.saturating_sub(4).max(10);
        let popup = Rect {
            x: area.x + (area.width.saturating_sub(width)) / 2,
            y: area.y + area.height / 3,
            width,
            height: 4,
        }
        .intersection(area);
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::bordered().title(title)),
            popup,
        );
    }
}

fn unix_local(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(local_time)
        .unwrap_or_else(|| seconds.to_string())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;

    use crate::vault::client::ArchiveInfo;
    use crate::vault::progress::{Direction, Progress, Shared};
    use crate::vault::ui::app::{App, Screen};

    #[test]
    fn every_screen_draws_on_any_terminal_size_without_panicking() {
        let progress = Shared::default();
        let mut app = App::new(Path::new("/nonexistent"), None, None, progress.clone());
        let mut screens = vec![app.screen];
        app.screen = Screen::Archives;
        app.archives = vec![ArchiveInfo {
            archive: "a.txt_2020-01-01T00-00-00.enc".into(),
            file_name: "a.txt".into(),
            uploaded: None,
            size: Some(10),
        }];
        app.stale = vec![true];
        app.schedule = (0..40).map(|i| (format!("/f{i}"), i)).collect();
        progress.begin(Direction::Upload, "big.bin", 100);
        progress.advance(40);
        screens.push(app.screen);
        for (w, h) in [(1, 1), (10, 3), (20, 6), (80, 24), (300, 80)] {
            for screen in &screens {
                app.screen = *screen;
                app.input = None;
                let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
                terminal.draw(|f| app.render(f)).unwrap();
                app.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::NONE));
                terminal.draw(|f| app.render(f)).unwrap();
            }
        }
    }

    /// The screen's text as a terminal of `w` × `h` shows it, line by line.
    fn shown(app: &App, w: u16, h: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| app.render(f)).unwrap();
        let buffer = terminal.backend().buffer();
        (0..h)
            .map(|y| (0..w).map(|x| buffer[(x, y)].symbol()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_login_form_and_the_archive_list_show_their_fields_and_rows() {
        let progress = Shared::default();
        let mut app = App::new(Path::new("/nonexistent"), None, None, progress.clone());
        let login = shown(&app, 100, 24);
        for label in [
            "Server address",
            "Port",
            "User name",
            "Password",
            "Remember me",
        ] {
            assert!(
                login.contains(label),
                "{label} not on the login form:\n{login}"
            );
        }
        app.screen = Screen::Archives;
        app.archives = vec![ArchiveInfo {
            archive: "notes.txt_2020-01-01T00-00-00.enc".into(),
            file_name: "notes.txt".into(),
            uploaded: None,
            size: Some(10),
        }];
        app.stale = vec![false];
        let list = shown(&app, 120, 24);
        for cell in [
            "File",
            "Archive",
            "notes.txt",
            "notes.txt_2020-01-01T00-00-00.enc",
        ] {
            assert!(list.contains(cell), "{cell} not in the list:\n{list}");
        }
        // A transfer in progress shows its file.
        progress.begin(Direction::Upload, "big.bin", 100);
        progress.advance(40);
        let busy = shown(&app, 120, 24);
        assert!(busy.contains("big.bin"), "no progress shown:\n{busy}");
    }
}
