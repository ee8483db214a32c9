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

/// <summary>Command line: <c>check &lt;server_name&gt;… [--file names.txt] [--json | --format text|json|go] [--name-server ip[:port]]… [--trust-roots file.pem] [--allow-private] [--deadline seconds]</c>.</summary>
internal sealed record CliOptions(IReadOnlyList<string> ServerNames, OutputFormat Format, DiagnosisOptions Diagnosis)
{
    /// <summary>Names read from one file at most (a list of servers to check, not a data set).</summary>
    public const int MaxFileNames = 10_000;

    /// <summary>The one name of a single check.</summary>
    public string ServerName => ServerNames[0];

    /// <summary>Several names (or a file of them): one line per name as each finishes, then the overall exit status.</summary>
    public bool IsBatch { get; init; }

    /// <summary>--color / --no-color; null: colour when writing to a terminal and NO_COLOR is not set.</summary>
    public bool? Color { get; init; }

    /// <summary>The site's address, for absolute docs links (always ends with a slash).</summary>
    public Uri? DocsBase { get; init; }

    public const string Usage = """
        Usage: matrix-tester check <server_name> [options]
               matrix-tester check <server_name> <server_name>… [--file names.txt] [options]
               matrix-tester findings      (list every finding id the tester can report)
               matrix-tester --version
               matrix-tester --help

        Diagnoses Matrix federation for <server_name> (the part after the colon in a Matrix ID).

        Several names, or --file (one name per line; # starts a comment): the names are checked
        four at a time and each gets one line as it finishes (with --json, one JSON object per line:
        name, verdict, chips, problems).

        Options:
          --file names.txt          also check every name in this file
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
        Several names: 1 if any is broken, else 3 if any did not finish, else 2 if any is not a
        server name, else 0.
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
        var serverNames = new List<string>();
        var fromFile = false;
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
                    case "--file":
                        serverNames.AddRange(NamesFile.Read(Value()));
                        fromFile = true;
                        break;
                    case var flag when flag.StartsWith('-'):
                        throw new ArgumentException($"Unknown option '{flag}'.");
                    default:
                        serverNames.Add(args[i]);
                        break;
                }
            }
            catch (ArgumentException ex)
            {
                error = ex.Message;
                return null;
            }
        }
        if (serverNames.Count == 0)
        {
            error = fromFile
                ? "The file has no server names: one per line, # starts a comment."
                : "A server name is missing: give the part after the colon in a Matrix ID, e.g. matrix-tester check example.org";
            return null;
        }
        var batch = fromFile || serverNames.Count > 1;
        if (batch && format == OutputFormat.Go)
        {
            error = "--format go describes one server: with several names, use text or json (one line per name).";
            return null;
        }
        return new CliOptions(serverNames, format, diagnosis) { Color = color, DocsBase = docsBase, IsBatch = batch };
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
