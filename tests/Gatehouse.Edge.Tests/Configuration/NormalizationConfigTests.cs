using Gatehouse.Edge.Configuration;

namespace Gatehouse.Edge.Tests.Configuration;

public sealed class NormalizationConfigTests
{
    private static readonly Dictionary<string, string> NoVariables = new();

    private static EdgeConfig Load(string toml) => EdgeConfigLoader.Parse(toml, "/tmp/edge.toml", NoVariables);

    private static string RejectOne(string toml) =>
        Assert.Single(Assert.Throws<EdgeConfigException>(() => Load(toml)).Errors);

    [Fact]
    public void Loader_NoNormalizationKeys_SecureDefaults()
    {
        var config = Load("");

        Assert.Equal(UnderscoreHeaders.Drop, config.Headers.Underscores);
        Assert.True(config.Headers.TrimValues);
        Assert.True(config.Headers.MergeDuplicates);
        Assert.True(config.Paths.MergeSlashes);
        Assert.True(config.Paths.ResolveDotSegments);
        Assert.True(config.Paths.DecodeUnreserved);
    }

    [Fact]
    public void Loader_AllNormalizationKeys_Read()
    {
        var config = Load("""
            [headers]
            underscores = "reject"
            trim_values = false
            merge_duplicates = false

            [paths]
            merge_slashes = false
            resolve_dot_segments = false
            decode_unreserved = false
            """);

        Assert.Equal(UnderscoreHeaders.Reject, config.Headers.Underscores);
        Assert.False(config.Headers.TrimValues);
        Assert.False(config.Headers.MergeDuplicates);
        Assert.False(config.Paths.MergeSlashes);
        Assert.False(config.Paths.ResolveDotSegments);
        Assert.False(config.Paths.DecodeUnreserved);
    }

    [Fact]
    public void Loader_BadUnderscoresValue_NamesChoices()
    {
        var message = RejectOne("[headers]\nunderscores = \"strip\"\n");

        Assert.Equal("edge.toml:2: key 'underscores' in [headers] must be \"drop\", \"reject\" or \"forward\"; got \"strip\"", message);
    }

    [Fact]
    public void Loader_MisspelledKey_SuggestsClosest()
    {
        var message = RejectOne("[headers]\ntrim_value = true\n");

        Assert.StartsWith("edge.toml:2: unknown key 'trim_value' in [headers] (did you mean 'trim_values'?)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_HeaderCountKeyInHeaders_PointsAtLimits()
    {
        var message = RejectOne("[headers]\nmax_header_count = 50\n");

        Assert.StartsWith("edge.toml:2: unknown key 'max_header_count' in [headers] (header count is limited by max_request_headers in [limits])", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_UnknownPathKey_NamesExpectedKeys()
    {
        var message = RejectOne("[paths]\nlowercase = true\n");

        Assert.StartsWith("edge.toml:2: unknown key 'lowercase' in [paths]; expected one of: decode_unreserved, merge_slashes, resolve_dot_segments", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_NotBoolean_NamesKey()
    {
        var message = RejectOne("[paths]\nmerge_slashes = \"yes\"\n");

        Assert.Equal("edge.toml:2: key 'merge_slashes' in [paths] must be true or false; got \"yes\"", message);
    }
}
