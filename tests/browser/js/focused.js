// What has the keyboard focus: its name as it reads, its group's legend, whether
// focus shows and whether it is in view and on top; null when focus is on <body>.
() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    const label = (el.labels && el.labels.length ? el.labels[0].innerText : "")
        || el.getAttribute("aria-label") || el.innerText || el.value || "";
    const fieldset = el.closest("fieldset");
    const legend = fieldset && fieldset.querySelector("legend");
    const cx = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
    const cy = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
    const top = document.elementFromPoint(cx, cy);
    return {
        tag: el.tagName.toLowerCase(),
        type: el.getAttribute("type") || "",
        id: el.id,
        name: el.getAttribute("name") || "",
        // As the label reads, without Django's "label suffix" colon.
        // (and without the space a visually hidden part may add before a colon).
        label: label.replace(/\s+/g, " ").replace(/ ([:,.])/g, "$1").trim().replace(/:$/, ""),
        group: legend ? legend.innerText.trim() : "",
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
        shadow: style.boxShadow !== "none",
        inView: rect.bottom > 0 && rect.top < innerHeight && rect.right > 0 && rect.left < innerWidth,
        // Focus not obscured (WCAG 2.4.11): what is on top at its centre is the
        // element itself, its label or something inside it.
        onTop: !!top && (el.contains(top) || top.contains(el) || (el.labels && [...el.labels].some((l) => l.contains(top)))),
    };
}
