namespace MatrixTester.Diagnostics.Reading;

/// <summary>How a state looks wherever it is shown: the colour of a chip, a badge or a line (always with words beside it).</summary>
public enum Tone
{
    Good,
    Warning,
    Bad,

    /// <summary>Neither good nor bad: not checked, not finished, not offered.</summary>
    Neutral,
}
