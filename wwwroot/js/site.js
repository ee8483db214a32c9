// MatrixTester live view: streams /api/v2/stream into the page, then swaps in the server-rendered report.
// Everything from the server is inserted with textContent; the final report is our own server-rendered HTML.
(() => {
    "use strict";

    // The page's language comes from the server: a JSON block of the words this script writes ({0} is an argument).
    const wordsHost = document.getElementById("live");
    const WORDS = wordsHost && wordsHost.dataset.words ? JSON.parse(wordsHost.dataset.words) : {};
    const w = (key, ...args) => (WORDS[key] ?? key).replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));
    const STAGES = ["server-name", "well-known", "srv", "dns", "endpoints", "connection", "two-way", "client", "calls", "rtc-token", "login"]
        .map(stage => [stage, w("live.stage." + stage)]);
    // Steps streamed under their own event type but shown in another stage's group.
    const GROUP_OF = { "two-way-waiting": "two-way", "two-way-inbound": "two-way", "rtc-token-waiting": "rtc-token", "rtc-token-callback": "rtc-token" };
    const EVENT_TYPES = ["queue", "notice", "progress", "wait", ...STAGES.map(s => s[0]), ...Object.keys(GROUP_OF), "permalink", "completed"];
    const SEVERITY_ORDER = { Info: 0, Warning: 1, Error: 2 };

    const form = document.getElementById("check-form");
    const live = document.getElementById("live");
    if (!form || !live) {
        // Pages without the live area (permalinks, history): "run again" opens the homepage in live mode.
        for (const again of document.querySelectorAll("form[data-stream]")) {
            again.addEventListener("submit", event => {
                const name = new FormData(again).get("server_name");
                if (typeof name === "string" && name.trim() !== "") {
                    event.preventDefault();
                    const fresh = new FormData(again).get("fresh") === "1" ? "&fresh=1" : "";
                    window.location.assign("/?stream=1&server_name=" + encodeURIComponent(name.trim()) + fresh);
                }
            });
        }
        return;
    }

    const input = form.querySelector("input[name=server_name]");
    const button = form.querySelector("button[type=submit]");
    const status = document.getElementById("now-checking");
    const groups = document.getElementById("live-groups");
    const result = document.getElementById("result");
    let source = null;
    let ticker = null;

    // "Run again" under a shown result streams a fresh test here instead of loading the page again.
    result.addEventListener("submit", event => {
        const again = event.target;
        if (!(again instanceof HTMLFormElement) || !again.matches("form.run-again")) return;
        const name = new FormData(again).get("server_name");
        if (typeof name !== "string" || name.trim() === "") return;
        event.preventDefault();
        history.pushState({ name: name.trim() }, "", "/?server_name=" + encodeURIComponent(name.trim()));
        start(name.trim(), true);
    });

    form.addEventListener("submit", event => {
        const name = input.value.trim();
        if (name === "") {
            return; // the browser's "required" message explains it
        }
        event.preventDefault();
        history.pushState({ name }, "", "/?server_name=" + encodeURIComponent(name));
        start(name);
    });

    window.addEventListener("popstate", () => window.location.reload());

    if (live.dataset.autostart) {
        history.replaceState({ name: live.dataset.autostart }, "", "/?server_name=" + encodeURIComponent(live.dataset.autostart));
        start(live.dataset.autostart, live.dataset.fresh === "1");
    }

    function el(tag, className, text) {
        const node = document.createElement(tag);
        if (className) node.className = className;
        if (text !== undefined) node.textContent = text;
        return node;
    }

    function worst(findings) {
        let level = -1;
        for (const f of findings || []) level = Math.max(level, SEVERITY_ORDER[f.severity] ?? 0);
        return level === 2 ? "error" : level === 1 ? "warning" : "ok";
    }

    function groupFor(stage, address) {
        let group = groups.querySelector(`[data-stage="${stage}"]`);
        if (!group) {
            group = el("section", "live-group");
            group.dataset.stage = stage;
            const label = (STAGES.find(s => s[0] === stage) || [stage, stage])[1];
            group.append(el("h3", "", label), el("ul", "live-rows"));
            // Keep the stages in discovery order whatever order their events arrive in.
            const order = STAGES.findIndex(s => s[0] === stage);
            const next = [...groups.children].find(g => STAGES.findIndex(s => s[0] === g.dataset.stage) > order);
            groups.insertBefore(group, next || null);
        }
        if (!address) return group.querySelector(".live-rows");
        let sub = [...group.querySelectorAll("[data-address]")].find(s => s.dataset.address === address);
        if (!sub) {
            sub = el("div", "live-address");
            sub.dataset.address = address;
            sub.append(el("h4", "", address), el("ul", "live-rows"));
            group.append(sub);
        }
        return sub.querySelector(".live-rows");
    }

    function addRow(kind, data) {
        const address = kind === "connection" ? data.connection?.endpoint?.key : null;
        const rows = groupFor(kind, address);
        const row = el("li", "live-row row-" + worst(data.findings));
        row.append(el("span", "at", formatMs(data.at)), el("span", "mark"), el("span", "text", data.text || data.summary || kind));
        // Findings that only repeat the row's own summary add nothing.
        const shown = data.text || data.summary || "";
        const problems = (data.findings || []).filter(f => f.severity !== "Info" && !shown.includes(f.localized?.summary || f.summary));
        if (problems.length > 0) {
            const list = el("ul", "row-findings");
            for (const f of problems) list.append(el("li", "", `${w("verdict.severity." + f.severity)}: ${f.localized?.summary || f.summary}`));
            row.append(list);
        }
        rows.append(row);
    }

    function formatMs(ms) {
        return typeof ms === "number" ? (ms >= 1000 ? w("unit.s", (ms / 1000).toFixed(1)) : w("unit.ms", Math.round(ms))) : "";
    }

    function setStatus(text, busy) {
        status.textContent = text;
        status.classList.toggle("busy", busy);
    }


    // What the diagnosis waits for right now: the oldest wait still open, with the time it has taken so far.
    // The server's "at" is the time since the diagnosis started; the page keeps its own clock from the last event.
    function waitingLine(waits, clock) {
        let oldest = null;
        for (const wait of waits.values()) if (!oldest || wait.at < oldest.at) oldest = wait;
        if (!oldest) return null;
        const now = clock.at + (performance.now() - clock.received);
        return w("live.waiting", oldest.for, w("unit.s", (Math.max(0, now - oldest.at) / 1000).toFixed(1)));
    }

    function start(name, fresh) {
        if (source) source.close();
        input.value = name;
        button.disabled = true;
        result.replaceChildren();
        groups.replaceChildren();
        live.hidden = false;
        for (const how of document.querySelectorAll(".how")) how.hidden = true;
        setStatus(w("live.checking", name), true);
        let permalink = null;
        let done = false;
        const waits = new Map();
        const clock = { at: 0, received: performance.now() };
        let idle = w("live.checking", name);
        let queued = false;
        if (ticker) clearInterval(ticker);
        // A wait's line ticks while nothing else arrives; without waits, the last step that started is shown.
        const show = () => {
            if (done || queued) return;
            setStatus(waitingLine(waits, clock) || idle, true);
        };
        ticker = setInterval(show, 100);

        let notice = null;
        let received = false;
        source = new EventSource("/api/v2/stream?server_name=" + encodeURIComponent(name) + (fresh ? "&fresh=1" : ""));
        for (const type of EVENT_TYPES) {
            source.addEventListener(type, message => {
                let data;
                try { data = JSON.parse(message.data); } catch { return; }
                received = true;
                if (typeof data.at === "number") {
                    clock.at = data.at;
                    clock.received = performance.now();
                }
                if (type === "queue") {
                    queued = true;
                    setStatus(data.message, true);
                    return;
                }
                queued = false;
                if (type === "notice") {
                    notice = data.message;
                } else if (type === "wait") {
                    if (data.done) waits.delete(data.id); else waits.set(data.id, { for: data.for, at: data.at });
                } else if (type === "progress") {
                    idle = w("live.checking_step", data.text || data.summary);
                } else if (type === "permalink") {
                    permalink = data;
                } else if (type === "completed") {
                    done = true;
                    clearInterval(ticker);
                    source.close();
                    finish(data, permalink, notice);
                    return;
                } else {
                    addRow(GROUP_OF[type] || type, data);
                }
                show();
            });
        }
        source.addEventListener("error", () => {
            if (done) return;
            done = true;
            clearInterval(ticker);
            source.close();
            button.disabled = false;
            setStatus("", false);
            const box = el("div", "live-error");
            // EventSource cannot read the status: nothing at all usually means 429 (too many tests) or 503 (busy),
            // and the server-rendered page explains which, with the time to wait.
            box.append(el("span", "", w(received ? "live.failed" : "live.not_started")));
            const fallback = el("a", "", w(received ? "live.fallback.failed" : "live.fallback.not_started"));
            fallback.href = "/?server_name=" + encodeURIComponent(name);
            box.append(fallback);
            result.replaceChildren(box);
        });
    }

    async function finish(completed, permalink, notice) {
        button.disabled = false;
        const took = completed.report && typeof completed.report.duration === "number" ? formatMs(completed.report.duration) : null;
        setStatus(took ? w("live.finished_in", input.value, took) : w("live.finished", input.value), false);
        // Fold the live log away under the report; it stays available for the curious.
        const log = el("details", "live-log");
        const steps = groups.querySelectorAll(".live-row").length;
        log.append(el("summary", "", steps === 1 ? w("live.log.one") : w("live.log.other", steps)));
        log.append(...groups.children);
        groups.replaceChildren(log);
        // Without a permalink (the result could not be saved) this instance still holds the report in memory.
        const fragment = permalink
            ? `/r/${encodeURIComponent(permalink.id)}?handler=Fragment`
            : `/?handler=Fragment&server_name=${encodeURIComponent(input.value)}`;
        try {
            const response = await fetch(fragment, { headers: { Accept: "text/html" } });
            if (!response.ok) throw new Error(String(response.status));
            const doc = new DOMParser().parseFromString(await response.text(), "text/html");
            const report = doc.getElementById("report");
            if (!report) throw new Error("no report");
            result.replaceChildren(document.importNode(report, true));
            // An unsaved report already says so itself.
            if (notice && !report.querySelector(".not-saved")) result.prepend(el("p", "notice reuse-notice", notice));
            status.after(result);
            const heading = document.getElementById("verdict-title");
            if (heading) heading.focus();
        } catch {
            const link = el("a", "", w("live.open_report"));
            link.href = permalink ? permalink.url : "/?server_name=" + encodeURIComponent(input.value);
            result.replaceChildren(link);
            if (notice) result.prepend(el("p", "notice reuse-notice", notice));
        }
    }
})();
