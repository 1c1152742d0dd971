using System.Text;

namespace Gatehouse.Balancer.Tests.Fuzz;

/// <summary>
/// Builds a hostile haproxy.cfg from a seed: corpus lines under random section headers, with words swapped
/// for hostile tokens, control bytes inserted, quotes broken, lines made very long and ACLs nested deep.
/// The same seed always builds the same text, so a failure message's seed reproduces it.
/// </summary>
internal static class ConfigMutator
{
    /// <summary>Cap on the generated text, in characters, so one case stays small in memory.</summary>
    public const int MaxChars = 64 * 1024;

    private static readonly string[] HostileTokens =
    [
        "", "\"", "'", "\\", "\\x", "\\xZ", "\\x00", "$", "${", "${A-", "${}", "${1A}", "\"${UNSET}\"", "#", "{", "}",
        "!", "||", "or", "if", "unless", "-m", "-i", "-f", "--", "%[", "%[src", "%[req.hdr(", ")", "(", ",", ":", "::",
        "0", "-1", "-0", "00", "1e9999", "2147483647", "2147483648", "4294967296", "9223372036854775807",
        "9223372036854775808", "99999999999999999999999999", "1.5", "NaN", "0x10", "1ms", "-5s", "99999999999999d",
        "2147483648ms", "100k", "9999999999999g", "127.0.0.1:99999", "127.0.0.1:-1", "[::1", "[::1]:", "*:0",
        "0.0.0.0:0", "256.256.256.256:80", "/dev/null", "/nonexistent", "path_beg", "hdr(", "hdr()", "hdr(x,-1)",
        "str(", "map(", "lower,upper,lower", "sc0_http_req_rate(", "table", "track-sc9", "sc-inc-gpc(-1,0)",
        "unknown-keyword", "tune.bufsize", "\u00e9", "\ud800", "\ufeff", "\u0000",
    ];

    private static readonly char[] ControlChars = ['\0', '\u0001', '\b', '\t', '\u000b', '\f', '\r', '\u001b', '\u007f', '\u0085', '\u2028'];

    public static string Build(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        var lineCount = random.Next(1, 40);
        for (var i = 0; i < lineCount && text.Length < MaxChars; i++)
        {
            var line = random.Next(8) switch
            {
                0 => ConfigCorpus.Sections[random.Next(ConfigCorpus.Sections.Count)],
                1 => DeepAcl(random),
                _ => Mutate(ConfigCorpus.Lines[random.Next(ConfigCorpus.Lines.Count)], random),
            };
            text.Append(random.Next(4) == 0 ? "    " : "").Append(line).Append(random.Next(10) == 0 ? "\r\n" : "\n");
        }

        return text.Length > MaxChars ? text.ToString(0, MaxChars) : text.ToString();
    }

    private static string Mutate(string line, Random random)
    {
        var words = line.Split(' ').ToList();
        var edits = random.Next(0, 4);
        for (var i = 0; i < edits; i++)
        {
            var index = random.Next(words.Count);
            switch (random.Next(6))
            {
                case 0:
                    words[index] = HostileTokens[random.Next(HostileTokens.Length)];
                    break;
                case 1:
                    words.Insert(index, HostileTokens[random.Next(HostileTokens.Length)]);
                    break;
                case 2:
                    words[index] = InsertControl(words[index], random);
                    break;
                case 3 when words[index].Length < 100:
                    words[index] = string.Concat(Enumerable.Repeat(words[index] + (random.Next(2) == 0 ? "" : ","), random.Next(2, 1000)));
                    break;
                case 3:
                case 4:
                    words[index] = random.Next(2) == 0 ? "\"" + words[index] : words[index] + "'";
                    break;
                default:
                    words.RemoveAt(index);
                    if (words.Count == 0)
                    {
                        words.Add(HostileTokens[random.Next(HostileTokens.Length)]);
                    }

                    break;
            }
        }

        return string.Join(' ', words);
    }

    private static string InsertControl(string word, Random random)
    {
        var position = random.Next(word.Length + 1);
        return word.Insert(position, ControlChars[random.Next(ControlChars.Length)].ToString());
    }

    private static string DeepAcl(Random random)
    {
        var depth = random.Next(1, 500);
        var open = string.Concat(Enumerable.Repeat(random.Next(2) == 0 ? "{ " : "!{ ", depth));
        var close = string.Concat(Enumerable.Repeat("} ", random.Next(0, depth + 2)));
        var joiner = random.Next(3) switch { 0 => " || ", 1 => " or ", _ => " " };
        var terms = string.Join(joiner, Enumerable.Repeat("path_beg /a", random.Next(1, 100)));
        return $"http-request deny if {open}{terms} {close}";
    }
}
