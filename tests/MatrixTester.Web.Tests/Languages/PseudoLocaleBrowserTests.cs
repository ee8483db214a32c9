using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MatrixTester.Web.Tests.Languages;

/// <summary>
/// Under the pseudo-locale every resource string is wrapped in <c>[!! … !!]</c>. Rendered in chromium (live view,
/// swapped-in report, permalink, history, docs, statistics, error page), every piece of text a person reads — text nodes and the
/// title, aria-label, data-label, placeholder and alt attributes — must be wrapped, or be a value the server under
/// test controls (names, addresses, numbers, what is shown as code). A string that bypasses the resources shows up
/// here as unwrapped words.
/// </summary>
public sealed partial class PseudoLocaleBrowserTests(LanguageFixture fixture) : IClassFixture<LanguageFixture>
{
    // Everything a person reads, one entry per text node or attribute, with where it is (for the failure message).
    private const string CollectText = """
        () => {
          const out = [];
          const values = 'code, pre, samp, script, style, time, .finding-id, nav.languages, .brand';
          const blocks = 'p, li, h1, h2, h3, h4, h5, h6, td, th, dt, dd, summary, caption, label, button, legend, figcaption, title, main, section, div';
          const seen = new Set();
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (!n.textContent.trim() || n.parentElement.closest(values)) continue;
            // A resource string may carry markup (a link, a code sample), so its wrapper spans several text nodes:
            // judge the text of the nearest block, without the values inside it.
            const block = n.parentElement.closest(blocks) || n.parentElement;
            if (seen.has(block)) continue;
            seen.add(block);
            const copy = block.cloneNode(true);
            copy.querySelectorAll(values).forEach(v => v.replaceWith(' '));
            const t = copy.textContent.replace(/\s+/g, ' ').trim();
            if (t) out.push(block.tagName.toLowerCase() + '.' + (block.className || '') + ': ' + t);
          }
          for (const el of document.querySelectorAll('[title], [aria-label], [data-label], [placeholder], [alt]')) {
            if (el.closest('nav.languages, .brand')) continue;
            for (const a of ['title', 'aria-label', 'data-label', 'placeholder', 'alt']) {
              const v = el.getAttribute(a);
              if (v && v.trim()) out.push(el.tagName.toLowerCase() + '@' + a + ': ' + v.trim());
            }
          }
          out.push('title: ' + document.title);
          return out;
        }
        """;

    [Fact]
    public async Task Home_broken_result_permalink_history_docs_and_error_page_have_no_text_outside_the_resources()
    {
        var name = await fixture.BrokenServerAsync();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/?lang=qps-ploc");
        Assert.Equal("qps-ploc", await page.Locator("html").GetAttributeAsync("lang"), ignoreCase: true);
        await AssertAllMarkedAsync(page, "home", name);

        // The live view: the stream's rows and status lines, then the report it swaps in.
        await page.Locator("#server_name").FillAsync(name);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#report .verdict h2")).ToContainTextAsync(name, new() { Timeout = 60_000 });
        await page.EvaluateAsync("document.querySelectorAll('details').forEach(d => d.open = true)");
        await BrowserFixture.ScreenshotAsync(page, "i18n-pseudo-broken-live");
        await AssertAllMarkedAsync(page, "live result", name);

        var permalink = (await page.Locator("#report a.permalink").GetAttributeAsync("href"))!;
        await page.GotoAsync(permalink);
        await page.EvaluateAsync("document.querySelectorAll('details').forEach(d => d.open = true)");
        await AssertAllMarkedAsync(page, "permalink", name);

        foreach (var url in new[] { $"/s/{name}", "/docs", "/stats", "/r/AAAAAAAAAAAAAAAAAAAAAAAA" })
        {
            await page.GotoAsync(url);
            await AssertAllMarkedAsync(page, url, name);
        }
    }

    [Fact]
    public async Task The_check_finds_a_string_that_bypasses_the_resources()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/?lang=qps-ploc");
        await page.EvaluateAsync("document.querySelector('h1').append(' Can other servers reach yours?')");
        var unmarked = Unmarked(await page.EvaluateAsync<string[]>(CollectText), "nothing.example.test");
        Assert.Contains(unmarked, u => u.Contains("Can other servers reach yours?", StringComparison.Ordinal));
    }

    private static async Task AssertAllMarkedAsync(IPage page, string where, string serverName)
    {
        var unmarked = Unmarked(await page.EvaluateAsync<string[]>(CollectText), serverName);
        Assert.True(unmarked.Count == 0, $"Text outside the resources on {where}:\n{string.Join("\n", unmarked)}");
    }

    /// <summary>The texts that still have words once marked strings and server-controlled values are taken out.</summary>
    private static List<string> Unmarked(IEnumerable<string> texts, string serverName) =>
        [.. texts.Where(t => Letters().IsMatch(Strip(t[(t.IndexOf(": ", StringComparison.Ordinal) + 2)..], serverName)))];

    private static string Strip(string text, string serverName)
    {
        // Innermost first: a marked string may contain another (a word inside a sentence).
        for (var before = ""; before != text;)
        {
            before = text;
            text = Marked().Replace(text, " ");
        }
        // Names that contain the server name (hs.name, _matrix-fed._tcp.name) go whole, before the name itself.
        text = ServerValue().Replace(text, " ");
        return text.Replace(serverName, " ", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\[!!(?:(?!\[!!).)*?!!\]", RegexOptions.Singleline)]
    private static partial Regex Marked();

    // Values the server under test (or the lab) controls, and the few names that are the same in every language.
    [GeneratedRegex(@"https?://\S+|[a-z0-9._-]*\.example\.test\.?(?::\d+)?|\b[1-5]\d\d(?: [A-Z][A-Za-z-]*)*|\.well-known|m\.server|\[?[0-9a-f:]*::[0-9a-f:]*\]?(?::\d+)?|\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?|ed25519:\S+|/[\w./-]+|\b(?:MatrixTester|IPv4|IPv6|JSON|HTTP|UTC|GET|TLS|DNS|SRV|SNI|TTL|SHA-256|API|Tls1[23]|Synapse|LabServer|A|AAAA|CNAME|NOERROR|NXDOMAIN|SERVFAIL|REFUSED|ECDSA|RSA|Ed25519|P-256)\b")]
    private static partial Regex ServerValue();

    [GeneratedRegex(@"\p{L}{2,}")]
    private static partial Regex Letters();
}
