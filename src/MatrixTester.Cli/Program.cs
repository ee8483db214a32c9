using MatrixTester.Cli;

// matrix-tester check <server_name>: the same engine as the site, in a terminal.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await CliApp.RunAsync(args, Console.Out, Console.Error, CliTerminal.FromConsole(), cancel.Token);
