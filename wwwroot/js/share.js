// "Copy for a support room" and printing. Both work on the report wherever it is (permalink, or swapped into the
// live page), so they listen on the document. Without JavaScript the button is a link to the Markdown itself.
(() => {
    "use strict";

    document.addEventListener("click", async event => {
        const link = event.target instanceof Element ? event.target.closest("a[data-copy-markdown]") : null;
        if (!link || !navigator.clipboard) return;
        event.preventDefault();
        try {
            const response = await fetch(link.href, { headers: { Accept: "text/plain" } });
            if (!response.ok) throw new Error(String(response.status));
            await navigator.clipboard.writeText(await response.text());
            const label = link.textContent;
            link.textContent = link.dataset.copied || label;
            link.classList.add("copied");
            setTimeout(() => { link.textContent = label; link.classList.remove("copied"); }, 4000);
        } catch {
            // No clipboard permission or no answer: show the Markdown, to copy by hand.
            window.location.assign(link.href);
        }
    });

    // Browsers without ::details-content print closed disclosures closed; open them for the printout only.
    let opened = [];
    window.addEventListener("beforeprint", () => {
        opened = [...document.querySelectorAll("details:not([open])")];
        for (const details of opened) details.open = true;
    });
    window.addEventListener("afterprint", () => {
        for (const details of opened) details.open = false;
        opened = [];
    });
})();
