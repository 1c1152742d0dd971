using Gatehouse.Edge.Configuration;

namespace Gatehouse.Edge.Tests.Fuzz;

/// <summary>Inputs the edge.toml fuzzing found, each once an exception other than EdgeConfigException.</summary>
public sealed class EdgeConfigFuzzRegressionTests
{
    private static readonly Dictionary<string, string> NoVariables = new(StringComparer.Ordinal);

    [Fact]
    public void Parse_InlineTablesNested100Deep_ReportsDepthAtLine()
    {
        var nested = string.Concat(Enumerable.Repeat("{ a = ", 100)) + "1" + new string('}', 100);
        var text = $"[edge]\nkey = {nested}\n";

        var error = Assert.Throws<EdgeConfigException>(() => EdgeConfigLoader.Parse(text, "/absent/edge.toml", NoVariables));

        Assert.StartsWith("edge.toml:2: The maximum depth of 64 has been exceeded", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnpairedSurrogate_ReportsInvalidCharacterAtLine()
    {
        var text = "[edge]\nlisten = \"\ud800\"\n";

        var error = Assert.Throws<EdgeConfigException>(() => EdgeConfigLoader.Parse(text, "/absent/edge.toml", NoVariables));

        Assert.StartsWith("edge.toml:2: invalid character", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RandomTextSeed1454412060_ReportsInvalidEscape()
    {
        // Random characters from EdgeConfigFuzzTests with this seed; Tomlyn threw ArgumentOutOfRangeException.
        EdgeConfigFuzzTests.AssertParsesOrExplains(EdgeConfigFuzzTests.RandomText(1454412060), 1454412060);
    }
}
