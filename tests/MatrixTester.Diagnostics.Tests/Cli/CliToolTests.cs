using System.Diagnostics;
using System.Text.Json;
using MatrixTester.Diagnostics.Tests.Connections;
using MatrixTester.Lab;

namespace MatrixTester.Diagnostics.Tests.Cli;

/// <summary>
/// The CLI as people get it: <c>dotnet pack</c> makes the matrix-tester tool package, <c>dotnet tool install</c>
/// installs it from that folder alone (no other package source, so it works offline), and the installed command runs
/// on the plain .NET runtime (a runtime folder without ASP.NET Core) against the lab.
/// </summary>
public sealed class CliToolTests : LabTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_packed_tool_installs_from_its_folder_alone_and_runs_on_the_plain_dotnet_runtime()
    {
        var work = Directory.CreateTempSubdirectory("matrixtester-tool-");
        try
        {
            var packages = Path.Combine(work.FullName, "packages");
            var project = Path.Combine(RepositoryRoot(), "src", "MatrixTester.Cli");
            // Its own artifacts path: the repository's bin/ and obj/ stay untouched by this build. The only restore
            // source is the (empty) package folder, so every dependency must already be in the local package cache.
            Directory.CreateDirectory(packages);
            await DotnetAsync(["pack", project, "-c", "Release", "-o", packages, "--artifacts-path", Path.Combine(work.FullName, "artifacts"), "-p:RestoreSources=" + packages]);
            Assert.Equal(["matrix-tester.1.0.0.nupkg"], Directory.GetFiles(packages).Select(Path.GetFileName));

            var tools = Path.Combine(work.FullName, "tools");
            await DotnetAsync(["tool", "install", "matrix-tester", "--tool-path", tools, "--source", packages]);
            var runtimeConfig = Directory.GetFiles(Path.Combine(tools, ".store"), "matrix-tester.runtimeconfig.json", SearchOption.AllDirectories).Single();
            Assert.Equal(["Microsoft.NETCore.App"], Frameworks(runtimeConfig));

            var runtime = PlainRuntime(work.FullName);
            var help = await RunAsync(Path.Combine(tools, "matrix-tester"), ["--help"], runtime);
            Assert.Equal(0, help.Code);
            Assert.StartsWith("Usage: matrix-tester check <server_name>", help.Output, StringComparison.Ordinal);

            var bad = await RunAsync(Path.Combine(tools, "matrix-tester"), ["frobnicate"], runtime);
            Assert.Equal(2, bad.Code);
            Assert.StartsWith("Unknown command 'frobnicate':", bad.Error, StringComparison.Ordinal);

            await new LabServer(Lab).StartAsync();
            var check = await RunAsync(Path.Combine(tools, "matrix-tester"),
                ["check", "example.test", "--name-server", Lab.Dns.EndPoint.ToString(), "--trust-roots", FederationLab.RootPemPath, "--allow-private", "--no-color"], runtime);
            Assert.True(check.Code == 0, check.Output + check.Error);
            Assert.Contains("Federation works for ", check.Output, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string[] Frameworks(string runtimeConfig)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var options = json.RootElement.GetProperty("runtimeOptions");
        return options.TryGetProperty("frameworks", out var list)
            ? [.. list.EnumerateArray().Select(f => f.GetProperty("name").GetString()!)]
            : [options.GetProperty("framework").GetProperty("name").GetString()!];
    }

    /// <summary>
    /// A .NET install that has only the base runtime: the host and Microsoft.NETCore.App of this machine's install,
    /// linked into a folder without Microsoft.AspNetCore.App. The tool's launcher finds it through DOTNET_ROOT.
    /// </summary>
    private static string PlainRuntime(string work)
    {
        // The running runtime is <install>/shared/Microsoft.NETCore.App/<version>/.
        var installed = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var root = Directory.CreateDirectory(Path.Combine(work, "dotnet-runtime-only")).FullName;
        File.CreateSymbolicLink(Path.Combine(root, "dotnet"), Path.Combine(installed, "dotnet"));
        Directory.CreateSymbolicLink(Path.Combine(root, "host"), Path.Combine(installed, "host"));
        Directory.CreateDirectory(Path.Combine(root, "shared"));
        Directory.CreateSymbolicLink(Path.Combine(root, "shared", "Microsoft.NETCore.App"), Path.Combine(installed, "shared", "Microsoft.NETCore.App"));
        return root;
    }

    private static async Task DotnetAsync(string[] arguments)
    {
        var result = await RunAsync(DotnetHost(), arguments, dotnetRoot: null);
        Assert.True(result.Code == 0, $"dotnet {string.Join(' ', arguments)} failed ({result.Code}):\n{result.Output}\n{result.Error}");
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string file, string[] arguments, string? dotnetRoot)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // The test host's MSBuild variables would steer a nested build to this run's MSBuild; the child finds its own.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("MSBUILD", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (dotnetRoot is not null)
        {
            start.Environment["DOTNET_ROOT"] = dotnetRoot;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await error);
    }

    /// <summary>The dotnet that runs this test (DOTNET_HOST_PATH, set by the SDK for test runs), else the PATH's.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MatrixTester.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("MatrixTester.sln not found above " + AppContext.BaseDirectory);
    }
}
