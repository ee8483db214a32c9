using MatrixTester.Diagnostics.Client;
using MatrixTester.Web.ReportViews;

namespace MatrixTester.Web.Tests.Languages;

/// <summary>The calls details tables speak the reader's language, and keep what the server sent (URLs, statuses) as it was.</summary>
public sealed class CallsTablesLanguageTests
{
    private static readonly RtcPrerequisites Prerequisites = new(false, true, false, UserinfoOutcome.NotRouted)
    {
        UserinfoUrl = "https://matrix.example.org/_matrix/federation/v1/openid/userinfo",
        UserinfoStatus = 404,
    };

    [Fact]
    public void Prerequisites_read_in_english()
    {
        var rows = Diagnostics.Languages.In("en", () => CallsTables.Prerequisites(Prerequisites));
        Assert.Equal(["Delayed events (MSC4140)", "not switched on"], rows[0].Cells);
        Assert.True(rows[0].Failed);
        Assert.Equal("not routed to the homeserver: https://matrix.example.org/_matrix/federation/v1/openid/userinfo answered 404", rows[3].Cells[1]);
    }

    [Fact]
    public void Prerequisites_read_in_german_with_the_servers_values_unchanged()
    {
        var rows = Diagnostics.Languages.In("de", () => CallsTables.Prerequisites(Prerequisites));
        Assert.Equal(["Verzögerte Events (MSC4140)", "nicht eingeschaltet"], rows[0].Cells);
        Assert.Equal("angekündigt", rows[1].Cells[1]);
        Assert.Equal("wird nicht an den Homeserver weitergeleitet: https://matrix.example.org/_matrix/federation/v1/openid/userinfo antwortete 404", rows[3].Cells[1]);
    }
}
