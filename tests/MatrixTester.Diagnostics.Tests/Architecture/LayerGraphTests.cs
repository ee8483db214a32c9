using MatrixTester.Diagnostics.Tests.Architecture.Samples.ViaAttribute;
using MatrixTester.Diagnostics.Tests.Architecture.Samples.ViaBase;
using MatrixTester.Diagnostics.Tests.Architecture.Samples.ViaBody;
using MatrixTester.Diagnostics.Tests.Architecture.Samples.ViaField;
using MatrixTester.Diagnostics.Tests.Architecture.Samples.ViaGeneric;
using MatrixTester.Diagnostics.Tests.Architecture.Samples.ViaNested;
using MatrixTester.Diagnostics.Tests.Architecture.Samples.ViaSignature;

namespace MatrixTester.Diagnostics.Tests.Architecture;

/// <summary>The checker itself: it sees each kind of reference, and it fails when the table lacks an arrow in use.</summary>
public sealed class LayerGraphTests
{
    private const string SamplesNamespace = "MatrixTester.Diagnostics.Tests.Architecture.Samples";

    private static readonly LayerGraph SampleGraph = new(typeof(LayerGraphTests).Assembly, SamplesNamespace);

    public static TheoryData<Type, string> References => new()
    {
        { typeof(Derived), "base type" },
        { typeof(Holder), "field _value" },
        { typeof(Taker), "signature of Measure" },
        { typeof(Caller), "body of Make" },
        { typeof(Marked), "attribute" },
        { typeof(Wrapper), "Items" },
        { typeof(Outer.Inner), "Value" },
    };

    [Theory]
    [MemberData(nameof(References))]
    public void Each_kind_of_reference_is_an_arrow_to_the_folder_it_names(Type from, string via)
    {
        var arrow = Assert.Single(SampleGraph.Arrows, a => a.From == from);

        Assert.Equal("Low", arrow.ToFolder);
        Assert.Contains(via, arrow.Via, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_without_an_arrow_in_use_names_the_type_and_the_arrow()
    {
        var table = new Dictionary<string, string[]>(EngineLayers.Allowed)
        {
            ["Discovery"] = EngineLayers.Allowed["Discovery"].Where(f => f != "DnsLookup").ToArray(),
        };

        var violations = new LayerGraph(typeof(ServerName).Assembly, EngineLayers.RootNamespace).Violations(table);

        Assert.NotEmpty(violations);
        Assert.All(violations, v => Assert.Equal(("Discovery", "DnsLookup"), (v.FromFolder, v.ToFolder)));
        Assert.Contains(violations, v => v.ToString().StartsWith("Discovery → DnsLookup: MatrixTester.Diagnostics.Discovery.SrvStage uses MatrixTester.Diagnostics.DnsLookup.", StringComparison.Ordinal));
    }

    [Fact]
    public void A_folder_missing_from_the_table_is_a_violation_for_each_arrow_it_has()
    {
        var table = EngineLayers.Allowed.Where(row => row.Key != "Keys").ToDictionary();

        var violations = new LayerGraph(typeof(ServerName).Assembly, EngineLayers.RootNamespace).Violations(table);

        Assert.Contains(violations, v => v.FromFolder == "Keys" && v.ToFolder == "Findings");
    }

    [Fact]
    public void A_cycle_in_a_table_is_found_and_spelled_out()
    {
        var table = new Dictionary<string, string[]> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = [] };

        Assert.Equal("A → B → C → A", LayerGraph.FindCycle(table));
        Assert.Null(LayerGraph.FindCycle(new Dictionary<string, string[]> { ["A"] = ["B"], ["B"] = [] }));
    }
}
