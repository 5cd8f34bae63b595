// Sideways scrolling and text that runs out of the viewport or is clipped, as the
// page is now: a list of problems, empty when all fits (tests/browser/a11y.py).
() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const problems = [];
    if (root.scrollWidth > width + 1) {
        problems.push(`the page scrolls sideways: ${root.scrollWidth}px wide in a ${width}px viewport`);
    }
    const scrolls = (el) => {
        // A wide data table may scroll inside its own box (WCAG 1.4.10 allows it).
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            const x = getComputedStyle(p).overflowX;
            if (x === "auto" || x === "scroll") return true;
        }
        return false;
    };
    const name = (el) => {
        let s = el.tagName.toLowerCase();
        if (el.id) s += "#" + el.id;
        if (el.classList.length) s += "." + [...el.classList].join(".");
        return s;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    const seen = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.textContent.trim() || seen.has(el)) continue;
        if (el.closest(".visually-hidden, script, style, [hidden]") || scrolls(el)) continue;
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) {
            if (r.width && (r.left < -1 || r.right > width + 1)) {
                seen.add(el);
                const text = node.textContent.trim().slice(0, 40);
                problems.push(`${name(el)} "${text}" runs from ${Math.round(r.left)} to ${Math.round(r.right)}px`);
                break;
            }
        }
        // Text clipped by its own box (overflow hidden) is cut off too.
        const style = getComputedStyle(el);
        if (!seen.has(el) && (style.overflowX === "hidden" || style.overflowX === "clip")
            && el.scrollWidth > el.clientWidth + 1) {
            seen.add(el);
            problems.push(`${name(el)} "${node.textContent.trim().slice(0, 40)}" is clipped`);
        }
    }
    return problems;
}
