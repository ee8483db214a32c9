namespace MatrixTester.Diagnostics.Tests.Architecture;

/// <summary>The engine's folders depend on each other only along the arrows of <see cref="EngineLayers.Allowed"/>.</summary>
public sealed class EngineLayerTests
{
    private static readonly LayerGraph Engine = new(typeof(ServerName).Assembly, EngineLayers.RootNamespace);

    [Fact]
    public void Every_cross_folder_reference_in_the_engine_follows_an_allowed_arrow()
    {
        TestContext.Current.TestOutputHelper?.WriteLine(Engine.Describe());

        var violations = Engine.Violations(EngineLayers.Allowed);

        Assert.True(violations.Count == 0,
            "References along arrows the layer table does not allow (move the type, pass a delegate or value in, or add the arrow to EngineLayers on purpose):\n"
            + string.Join("\n", violations));
    }

    [Fact]
    public void Every_engine_folder_has_a_row_in_the_layer_table()
    {
        var missing = Engine.Folders.Where(f => !EngineLayers.Allowed.ContainsKey(f)).Order(StringComparer.Ordinal).ToArray();

        Assert.True(missing.Length == 0, $"Folders with no row in EngineLayers.Allowed: {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_allowed_arrows_have_no_cycle()
    {
        Assert.Null(LayerGraph.FindCycle(EngineLayers.Allowed));
    }

    [Fact]
    public void Every_arrow_in_the_table_leads_to_a_folder_in_the_table()
    {
        var unknown = EngineLayers.Allowed.SelectMany(row => row.Value.Where(to => !EngineLayers.Allowed.ContainsKey(to)).Select(to => $"{row.Key} → {to}"));

        Assert.Empty(unknown);
    }
}
