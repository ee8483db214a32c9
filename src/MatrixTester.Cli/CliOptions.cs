using System.Globalization;
using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Tls;

namespace MatrixTester.Cli;

internal enum OutputFormat
{
    Text,
    Json,
    Go,
}

/// <summary>Command line: <c>check &lt;server_name&gt; [--json | --format text|json|go] [--name-server ip[:port]]… [--trust-roots file.pem] [--allow-private] [--deadline seconds]</c>.</summary>
internal sealed record CliOptions(string ServerName, OutputFormat Format, DiagnosisOptions Diagnosis)
{
    /// <summary>--color / --no-color; null: colour when writing to a terminal and NO_COLOR is not set.</summary>
    public bool? Color { get; init; }

    /// <summary>The site's address, for absolute docs links (always ends with a slash).</summary>
    public Uri? DocsBase { get; init; }

    public const string Usage = """
        Usage: matrix-tester check <server_name> [options]
               matrix-tester findings      (list every finding id the tester can report)
               matrix-tester --version
               matrix-tester --help

        Diagnoses Matrix federation for <server_name> (the part after the colon in a Matrix ID).

        Options:
          --json                    print the full report as JSON (our v2 format)
          --format text|json|go     text (default, streamed), json (v2), or go (federation tester compatible)
          --name-server ip[:port]   DNS server to ask (repeatable; default: /etc/resolv.conf)
          --trust-roots file.pem    extra trusted root certificates (private CAs, intranets)
          --allow-private           allow connecting to private, loopback and link-local addresses
          --deadline seconds        overall time limit (default 30)
          --docs-base url           the MatrixTester site's address, for absolute docs links
                                    (e.g. https://tester.example.org/); also sent in the User-Agent
          --no-color, --color       never / always colour the step marks (default: colour on a
                                    terminal unless NO_COLOR is set)
          --lang en|de              the language of the text (default: from LC_ALL, LC_MESSAGES or
                                    LANG; English otherwise). JSON output stays English.

        Step marks: ✓ passed, · nothing found or not run (no record, no file: normal), ! warning, ✗ failed.

        Exit status: 0 federation works (with or without warnings), 1 federation is broken,
        2 bad usage (including a server name that is not one), 3 the test did not finish (time limit):
        the verdict is unknown. Clients and the two-way check have their own verdicts and never change it.
        """;

    /// <summary>What the command line asks for besides a check.</summary>
    public enum Request
    {
        Check,
        Help,
        Version,
    }

    /// <summary>
    /// The options of <c>check</c>, or null with <paramref name="request"/> saying help or version was asked for, or
    /// with <paramref name="error"/> saying what is wrong, in terms of what the user typed.
    /// </summary>
    public static CliOptions? Parse(IReadOnlyList<string> args, out Request request, out string? error)
    {
        error = null;
        request = args.Any(a => a is "--version") ? Request.Version
            : args.Count == 0 || args.Any(a => a is "-h" or "--help") || args[0] == "help" ? Request.Help
            : Request.Check;
        if (request != Request.Check)
        {
            return null;
        }
        if (args[0] != "check")
        {
            error = $"Unknown command '{args[0]}': use check, findings, --help or --version.";
            return null;
        }
        string? serverName = null;
        var format = OutputFormat.Text;
        var diagnosis = new DiagnosisOptions();
        bool? color = null;
        Uri? docsBase = null;
        for (var i = 1; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            try
            {
                switch (args[i])
                {
                    case "--json":
                        format = OutputFormat.Json;
                        break;
                    case "--format":
                        format = Value() switch
                        {
                            "text" => OutputFormat.Text,
                            "json" => OutputFormat.Json,
                            "go" => OutputFormat.Go,
                            var other => throw new ArgumentException($"Unknown format '{other}': use text, json or go."),
                        };
                        break;
                    case "--name-server":
                        var nameServer = Value();
                        Check(() => NameServerList.ParseEntry(nameServer, "--name-server"));
                        diagnosis.NameServers.Add(nameServer);
                        break;
                    case "--trust-roots":
                        var roots = Value();
                        Check(() =>
                        {
                            foreach (var root in TrustAnchors.LoadPem(roots, "--trust-roots"))
                            {
                                root.Dispose();
                            }
                        });
                        diagnosis.ExtraTrustedRoots = roots;
                        break;
                    case "--allow-private":
                        diagnosis.AllowPrivateNetworks = true;
                        break;
                    case "--deadline":
                        var text = Value();
                        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 600)
                        {
                            throw new ArgumentException($"--deadline takes a number of seconds from 1 to 600, not '{text}'.");
                        }
                        diagnosis.OverallDeadline = TimeSpan.FromSeconds(seconds);
                        break;
                    case "--no-color":
                        color = false;
                        break;
                    case "--color":
                        color = true;
                        break;
                    case "--docs-base":
                        var url = Value();
                        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
                        {
                            throw new ArgumentException($"--docs-base takes an absolute http(s) URL such as https://tester.example.org/, not '{url}'.");
                        }
                        docsBase = new Uri(parsed.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
                        diagnosis.PublicUrl = docsBase;
                        break;
                    case var flag when flag.StartsWith('-'):
                        throw new ArgumentException($"Unknown option '{flag}'.");
                    default:
                        if (serverName is not null)
                        {
                            throw new ArgumentException($"Only one server name, please ('{serverName}' and '{args[i]}' given).");
                        }
                        serverName = args[i];
                        break;
                }
            }
            catch (ArgumentException ex)
            {
                error = ex.Message;
                return null;
            }
        }
        if (serverName is null)
        {
            error = "A server name is missing: give the part after the colon in a Matrix ID, e.g. matrix-tester check example.org";
            return null;
        }
        return new CliOptions(serverName, format, diagnosis) { Color = color, DocsBase = docsBase };
    }

    /// <summary>Runs a check of an option's value; its complaint (which names the option) becomes a usage error.</summary>
    private static void Check(Action check)
    {
        try
        {
            check();
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw new ArgumentException(ex.Message, ex);
        }
    }
}
