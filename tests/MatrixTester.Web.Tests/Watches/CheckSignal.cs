using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>
/// Tells a test when a site's scheduler has finished running a job (a scheduled watch check): a Quartz job listener on
/// that site's scheduler, so tests wait for the check itself instead of polling the store against a clock.
/// </summary>
internal sealed class CheckSignal : IJobListener
{
    private static readonly ConditionalWeakTable<IServiceProvider, Task<CheckSignal>> Sites = [];
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = "test-check-signal-" + Guid.NewGuid().ToString("N");

    /// <summary>The listener of the site whose services these are, registered on first use.</summary>
    public static Task<CheckSignal> ForAsync(IServiceProvider services) => Sites.GetValue(services, RegisterAsync);

    /// <summary>Completes when the next job run ends; take it before reading the state it changes, so none is missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>
    /// Waits until <paramref name="done"/> holds, re-reading it after each finished job run, for at most
    /// <paramref name="timeout"/>; <paramref name="what"/> names the wait in the timeout message.
    /// </summary>
    public async Task<T> UntilAsync<T>(Func<Task<T?>> done, TimeSpan timeout, string what)
        where T : class
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(timeout);
        while (true)
        {
            var next = Next;
            if (await done() is { } result)
            {
                return result;
            }
            try
            {
                await next.WaitAsync(bound.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{what} within {timeout.TotalSeconds:0} s");
            }
        }
    }

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return ValueTask.CompletedTask;
    }

    private static async Task<CheckSignal> RegisterAsync(IServiceProvider services)
    {
        var signal = new CheckSignal();
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        scheduler.ListenerManager.AddJobListener(signal, GroupMatcher<JobKey>.AnyGroup());
        return signal;
    }
}
