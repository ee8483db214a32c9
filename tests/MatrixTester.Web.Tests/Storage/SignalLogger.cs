using Microsoft.Extensions.Logging;

namespace MatrixTester.Web.Tests.Storage;

/// <summary>A logger that completes <see cref="Logged"/> at the first entry with the given event id: a test waits for
/// what the code under test reports it did, not for a guess at its timing.</summary>
internal sealed class SignalLogger<T>(int id) : ILogger<T>
{
    private readonly TaskCompletionSource<string> _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The message of the first entry with the event id.</summary>
    public Task<string> Logged => _logged.Task;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (eventId.Id == id)
        {
            _logged.TrySetResult(formatter(state, exception));
        }
    }
}
