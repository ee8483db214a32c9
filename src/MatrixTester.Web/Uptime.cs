namespace MatrixTester.Web;

/// <summary>
/// Scheduled checks in one window: how many worked (works, or works with warnings), how many were broken, and how many
/// did not finish (time limit): those are neither, so they count for no side of the share.
/// </summary>
public sealed record UptimeWindow(int Days, int Worked, int Broken, int NotFinished)
{
    /// <summary>Checks that decided: worked or broken.</summary>
    public int Decided => Worked + Broken;

    /// <summary>The share that worked, 0 to 1; null without a decided check in the window.</summary>
    public double? Share => Decided == 0 ? null : (double)Worked / Decided;
}

/// <summary>A watched server name's uptime over 7, 30 and 90 days.</summary>
public sealed record Uptime(IReadOnlyList<UptimeWindow> Windows)
{
    public static readonly IReadOnlyList<int> Days = [7, 30, 90];

    public bool Any => Windows.Any(w => w.Decided + w.NotFinished > 0);

    public UptimeWindow Window(int days) => Windows.First(w => w.Days == days);
}
