//! `squirrel lessons`: the lesson table, printed.

use squirrel::i18n::lang;
use squirrel::lessons::LESSONS;
use squirrel::tr;

/// Prints every lesson: number, title, command to try, text and staged test, in the
/// language in force (a French student is sent to the French texts).
pub fn run() -> Result<(), crate::Failure> {
    let lang = lang();
    println!("{}\n", tr!("lessons-intro"));
    for lesson in LESSONS {
        println!("{:02}  {}", lesson.number, lesson.title_in(lang));
        println!(
            "    {}",
            tr!("lessons-try", command = lesson.try_first_in(lang))
        );
        println!(
            "    {}",
            tr!("lessons-read", path = lesson.text_path_in(lang))
        );
        let test = format!("cargo test --test {}", lesson.test_name());
        println!("    {}", tr!("lessons-test", command = test));
        println!("    {}\n", tr!("lessons-hint", hint = lesson.hint_in(lang)));
    }
    println!("{}", tr!("lessons-aliases"));
    Ok(())
}
