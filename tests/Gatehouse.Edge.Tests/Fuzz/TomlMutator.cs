using System.Text;

namespace Gatehouse.Edge.Tests.Fuzz;

/// <summary>
/// Builds a hostile edge.toml from a seed: lines of examples/edge.toml and the edge configuration tests
/// under random table headers, with values swapped for hostile ones, control bytes inserted and arrays
/// nested. The same seed always builds the same text.
/// </summary>
internal static class TomlMutator
{
    /// <summary>Cap on the generated text, in characters.</summary>
    public const int MaxChars = 256 * 1024;

    private static readonly string[] HostileValues =
    [
        "\"\"", "\"${\"", "\"${UNSET}\"", "\"${A-}\"", "\"${-}\"", "\"}${\"", "0", "-1", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "1e400", "-0.0", "nan", "inf", "0x7fffffff", "0o777",
        "0b101", "true", "false", "[]", "[1, \"a\"]", "{}", "{ a = 1 }", "\"99999999999999999999d\"",
        "\"1e300s\"", "\"9999999999999999h\"", "\"0ms\"", "\"-1s\"", "\"1.5.5s\"", "\"999999999999999999999ms\"",
        "\"http://\"", "\"http://[::1\"", "\"ftp://x\"", "\"127.0.0.1:99999\"", "\"*:0\"", "\"[::1]:-1\"",
        "\"\\u0000\"", "\"\\uD800\"", "'''multi\nline'''", "\"\"\"a\nb\"\"\"", "1979-05-27T07:32:00Z", "\"/\"",
        "\"../../../../etc/passwd\"", "\"/dev/null\"", "\"*\"", "\"**\"", "\"[\"", "\"(?\"", "\"\\\\\"",
    ];

    private static readonly string[] Headers =
    [
        "[edge]", "[balancer]", "[balancer.tls]", "[keys]", "[limits]", "[headers]", "[paths]", "[redis]",
        "[sessions]", "[[providers]]", "[[routes]]", "[[experiments]]", "[[rate_limits]]", "[[feedback]]",
        "[[listeners]]", "[[listeners.certificates]]", "[unknown]", "[[limits]]", "[edge.sub]", "[ \"quoted key\" ]",
    ];

    private static readonly char[] ControlChars = ['\0', '\u0001', '\b', '\t', '\u000b', '\f', '\r', '\u001b', '\u007f', '\u2028', '\ufeff'];

    public static string Build(int seed, IReadOnlyList<string> corpus)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        var lineCount = random.Next(1, 40);
        for (var i = 0; i < lineCount && text.Length < MaxChars; i++)
        {
            var line = random.Next(6) switch
            {
                0 => Headers[random.Next(Headers.Length)],
                1 => $"key{random.Next(3)} = {Nested(random)}",
                _ => Mutate(corpus[random.Next(corpus.Count)], random),
            };
            text.Append(line).Append(random.Next(10) == 0 ? "\r\n" : "\n");
        }

        return text.Length > MaxChars ? text.ToString(0, MaxChars) : text.ToString();
    }

    private static string Mutate(string line, Random random)
    {
        var equals = line.IndexOf(" = ", StringComparison.Ordinal);
        switch (random.Next(5))
        {
            case 0 when equals > 0:
                return line[..equals] + " = " + HostileValues[random.Next(HostileValues.Length)];
            case 1:
                var position = random.Next(line.Length + 1);
                return line.Insert(position, ControlChars[random.Next(ControlChars.Length)].ToString());
            case 2 when equals > 0:
                var value = line[(equals + 3)..];
                return line[..equals] + " = " + value.Insert(random.Next(value.Length + 1), new string('9', random.Next(1, 40)));
            case 3:
                return line + new string('x', random.Next(1, 20_000));
            default:
                return line;
        }
    }

    // Arrays and inline tables nested a few hundred deep, because TOML parsers often recurse per level.
    private static string Nested(Random random)
    {
        var depth = random.Next(1, 300);
        var table = random.Next(2) == 0;
        var open = table ? "{ a = " : "[";
        var close = table ? " }" : "]";
        return string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, random.Next(depth - 1, depth + 1)));
    }
}
