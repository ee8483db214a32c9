using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Diagnoses;

namespace MatrixTester.Web.Api;

/// <summary>
/// A shared run as server-sent events. While the run waits for a slot: "queue" events with the place in line (sent
/// again whenever it moves). A reused or rate-limited result first gets a "notice". Then each engine event as one
/// JSON line typed by its kind; before "completed", a "permalink" event carries the stored result's id and URL, so a
/// client that closes on "completed" (as the docs suggest) already has it, or, when the result could not be saved,
/// a "notice" event says so instead. Late joiners get the events so far first.
/// </summary>
internal static class SharedStream
{
    public static async IAsyncEnumerable<SseItem<string>> Events(Admission admission, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (admission.Notice is { } notice)
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(new NoticeEvent(notice), ReportJson.Options), "notice");
        }
        await foreach (var update in admission.Run!.WatchAsync(cancellationToken))
        {
            switch (update)
            {
                case QueuedUpdate queued:
                    yield return new SseItem<string>(JsonSerializer.Serialize(QueueEvent.At(queued.Position), ReportJson.Options), "queue");
                    break;
                case EventUpdate { Event: var e, Finished: var finished }:
                    if (finished?.PermalinkId is { } id)
                    {
                        yield return new SseItem<string>(JsonSerializer.Serialize(new PermalinkEvent(id, $"/r/{id}"), ReportJson.Options), "permalink");
                    }
                    else if (finished is not null)
                    {
                        yield return new SseItem<string>(JsonSerializer.Serialize(new NoticeEvent(FinishedDiagnosis.NotSavedNotice), ReportJson.Options), "notice");
                    }
                    yield return new SseItem<string>(LocalizedFindings.Wanted
                        ? LocalizedFindings.Add(JsonSerializer.SerializeToNode(e, ReportJson.Options)!).ToJsonString(ReportJson.Options)
                        : JsonSerializer.Serialize(e, ReportJson.Options), V2Api.Kind(e));
                    break;
            }
        }
    }
}

/// <summary>The tester is busy: this diagnosis waits; <see cref="Position"/> 1 is next.</summary>
public sealed record QueueEvent(int Position, string Message)
{
    public static QueueEvent At(int position) => new(position,
        position == 1 ? SiteText.Get("notice.queue.next") : SiteText.Format("notice.queue.position", position));
}

/// <summary>Something the watcher should know about this result (reused, or run again too soon).</summary>
public sealed record NoticeEvent(string Message);
