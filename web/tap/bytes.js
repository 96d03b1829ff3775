// bytes.js — a byte view (the server's rows of hex and ASCII, src/diagram/bytes.rs) as
// a <pre>, the marked bytes (`fluffy tail` in clear) in <mark>. Text nodes only.

function append(parent, spans) {
  for (const span of spans) {
    if (span.mark) {
      const mark = document.createElement("mark");
      mark.className = span.mark;
      mark.textContent = span.text;
      parent.append(mark);
    } else {
      parent.append(document.createTextNode(span.text));
    }
  }
}

// `more` is the words for bytes left out, already filled in.
export function byteView(view, more) {
  const pre = document.createElement("pre");
  pre.className = "bytes";
  for (const row of view.rows) {
    const offset = document.createElement("span");
    offset.className = "offset";
    offset.textContent = row.offset;
    pre.append(offset, document.createTextNode("  "));
    append(pre, row.hex);
    pre.append(document.createTextNode("  "));
    append(pre, row.ascii);
    pre.append(document.createTextNode("\n"));
  }
  if (view.more > 0) {
    const rest = document.createElement("span");
    rest.className = "more";
    rest.textContent = more;
    pre.append(rest, document.createTextNode("\n"));
  }
  return pre;
}
