// drawing.js — the server lays out each ladder (src/diagram/draw.rs); this turns its
// items into the same SVG elements the tour page has inline. Text goes in as text
// nodes (textContent), never as markup: bytes off the wire stay bytes.

const SVG = "http://www.w3.org/2000/svg";

function element(name, attributes = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    node.setAttribute(key, String(value));
  }
  return node;
}

function draw(item) {
  switch (item.kind) {
    case "line":
      return element("line", { x1: item.x1, y1: item.y1, x2: item.x2, y2: item.y2, class: item.class });
    case "rect":
      return element("rect", { x: item.x, y: item.y, width: item.width, height: item.height, class: item.class });
    case "circle":
      return element("circle", { cx: item.cx, cy: item.cy, r: item.r, class: item.class });
    case "polygon":
      return element("polygon", { points: item.points, class: item.class });
    case "text": {
      const text = element("text", { x: item.x, y: item.y, "text-anchor": item.anchor, class: item.class });
      for (const span of item.spans) {
        if (span.mark) {
          const tspan = element("tspan", { class: span.mark });
          tspan.textContent = span.text;
          text.append(tspan);
        } else {
          text.append(document.createTextNode(span.text));
        }
      }
      return text;
    }
    case "group": {
      const group = element("g", { class: item.class });
      for (const [name, value] of item.data) group.setAttribute(`data-${name}`, value);
      for (const child of item.items) group.append(draw(child));
      return group;
    }
    default:
      return element("g");
  }
}

// The whole drawing as an <svg class="ladder">, described by `title`.
export function drawing(layout, title) {
  const svg = element("svg", {
    class: "ladder",
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    width: layout.width,
    height: layout.height,
    role: "img",
    "aria-label": title,
  });
  const caption = element("title");
  caption.textContent = title;
  svg.append(caption);
  for (const item of layout.items) svg.append(draw(item));
  return svg;
}
