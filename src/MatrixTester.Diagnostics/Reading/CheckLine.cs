namespace MatrixTester.Diagnostics.Reading;

/// <summary>What a checklist line is about.</summary>
public enum CheckItem
{
    ServerName,
    Delegation,
    Dns,

    /// <summary>Delegation and DNS together, when discovery did not run or did not finish.</summary>
    Discovery,
    TimeLimit,
    Connection,
    Certificate,
    Version,
    Keys,
    ClientDiscovery,
    Support,
    TwoWay,
    Calls,
    TokenCheck,
    Login,
}

/// <summary>How a check went, worst last.</summary>
public enum CheckState
{
    Passed,

    /// <summary>Nothing wrong, something worth knowing (no delegation, no support file).</summary>
    Note,

    /// <summary>Did not run: nothing to run it on, or not reached.</summary>
    NotTested,

    /// <summary>Started, and the time limit came first: not checked, not failed.</summary>
    Incomplete,
    Warning,
    Failed,
}

/// <summary>
/// One line of the checklist: what (<see cref="Item"/>, named by the wording), how it went, a few words, the docs
/// page (slug with an optional #anchor, like a finding's) and the part of the result page with the details.
/// </summary>
public sealed record CheckLine(CheckItem Item, CheckState State, string Text, string Docs, string Anchor)
{
    public string Name => Words.CheckWords.Name(Item);
}

/// <summary>One address and its four federation checks.</summary>
public sealed record AddressChecks(string Key, string Anchor, IReadOnlyList<CheckLine> Checks);
