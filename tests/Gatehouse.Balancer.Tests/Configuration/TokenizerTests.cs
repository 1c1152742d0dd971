using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tests.Configuration;

public sealed class TokenizerTests
{
    private static List<string> Words(string line, Dictionary<string, string>? variables = null)
    {
        var errors = new ConfigErrors();
        var lines = new ConfigTokenizer(variables ?? []).Tokenize(line, "t.cfg", errors);
        Assert.Equal(0, errors.Count);
        return [.. Assert.Single(lines).Words.Select(word => word.Text)];
    }

    [Fact]
    public void Tokenize_DoubleQuotes_ExpandVariables()
    {
        var words = Words("server s \"${HOST}:${PORT}\"", new() { ["HOST"] = "10.1.1.1", ["PORT"] = "81" });

        Assert.Equal(["server", "s", "10.1.1.1:81"], words);
    }

    [Fact]
    public void Tokenize_DefaultValue_UsedWhenUnset()
    {
        Assert.Equal(["bind", "127.0.0.1:8081"], Words("bind \"${BIND-127.0.0.1:8081}\""));
    }

    [Fact]
    public void Tokenize_DefaultValue_IgnoredWhenSet()
    {
        Assert.Equal(["bind", ":9"], Words("bind \"${BIND-127.0.0.1:8081}\"", new() { ["BIND"] = ":9" }));
    }

    [Fact]
    public void Tokenize_DollarWithoutBraces_Expands()
    {
        Assert.Equal(["x", "a-b"], Words("x \"$A-b\"", new() { ["A"] = "a" }));
    }

    [Fact]
    public void Tokenize_SingleQuotes_AreLiteral()
    {
        Assert.Equal(["x", "${A} # \\n"], Words("x '${A} # \\n'", new() { ["A"] = "a" }));
    }

    [Fact]
    public void Tokenize_UnquotedDollar_IsLiteral()
    {
        Assert.Equal(["x", "$A"], Words("x $A", new() { ["A"] = "a" }));
    }

    [Fact]
    public void Tokenize_Backslashes_Escape()
    {
        Assert.Equal(["a b", "#", "\\", "\"", "A", "$A"], Words("a\\ b \\# \\\\ \\\" \\x41 \"\\$A\""));
    }

    [Fact]
    public void Tokenize_OtherEscapes_KeepBackslash()
    {
        Assert.Equal(["/new/\\1", "\\?x", "a\\.b"], Words("/new/\\1 \\?x \"a\\.b\""));
    }

    [Fact]
    public void Tokenize_Comment_EndsLine()
    {
        Assert.Equal(["a", "b"], Words("  a b # c d"));
    }

    [Fact]
    public void Tokenize_QuotedParts_JoinOneWord()
    {
        Assert.Equal(["ab c'd'"], Words("a\"b c\"\"'d'\""));
    }

    [Fact]
    public void Tokenize_QuotedIf_IsMarkedQuoted()
    {
        var lines = new ConfigTokenizer(new Dictionary<string, string>()).Tokenize("x \"if\" if", "t.cfg", new ConfigErrors());

        Assert.True(lines[0].Words[1].Quoted);
        Assert.False(lines[0].Words[2].Quoted);
    }

    [Fact]
    public void Tokenize_NullVariables_ReadsEnvironment()
    {
        var name = "GATEHOUSE_TOKENIZER_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-env");
        try
        {
            var lines = new ConfigTokenizer(null).Tokenize($"x \"${{{name}}}\"", "t.cfg", new ConfigErrors());

            Assert.Equal("from-env", lines[0][1]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
