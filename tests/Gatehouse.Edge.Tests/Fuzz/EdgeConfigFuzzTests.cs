using System.Text.RegularExpressions;
using FsCheck.Fluent;
using Gatehouse.Balancer.Tests.Fuzz;
using Gatehouse.Edge.Configuration;

namespace Gatehouse.Edge.Tests.Fuzz;

/// <summary>
/// Hostile edge.toml text: the loader either returns a configuration or throws an EdgeConfigException whose
/// every message starts with FILE:LINE, and no case hangs.
/// </summary>
public sealed partial class EdgeConfigFuzzTests
{
    private const string FileName = "edge.toml";

    private static readonly Dictionary<string, string> NoVariables = new(StringComparer.Ordinal);

    private static readonly Lazy<IReadOnlyList<string>> Corpus = new(LoadCorpus);

    [Fact]
    public void Parse_MutatedConfigs_ReturnsConfigOrEdgeConfigException()
    {
        var seeds = Gen.Choose(0, int.MaxValue).ToArbitrary();

        FuzzBudget.Check(seeds, seed => AssertParsesOrExplains(TomlMutator.Build(seed, Corpus.Value), seed), defaultIterations: 300);
    }

    [Fact]
    public void Parse_RandomCharacters_ReturnsConfigOrEdgeConfigException()
    {
        var seeds = Gen.Choose(0, int.MaxValue).ToArbitrary();

        FuzzBudget.Check(seeds, seed => AssertParsesOrExplains(RandomText(seed), seed), defaultIterations: 300);
    }

    /// <summary>Parses <paramref name="text"/> and checks the outcome; internal so regression tests share it.</summary>
    internal static void AssertParsesOrExplains(string text, int seed)
    {
        // A folder that does not exist, so relative paths in the text never resolve to real files.
        var path = Path.Combine(Path.GetTempPath(), "gatehouse-fuzz-absent", FileName);
        var outcome = FuzzBudget.WithDeadline<Exception?>(() =>
        {
            try
            {
                EdgeConfigLoader.Parse(text, path, NoVariables);
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        }, text);

        if (outcome is null)
        {
            return;
        }

        if (outcome is not EdgeConfigException config)
        {
            throw new InvalidOperationException($"seed {seed}: {outcome.GetType().Name} instead of EdgeConfigException; input: {FuzzBudget.Preview(text)}", outcome);
        }

        Assert.NotEmpty(config.Errors);
        foreach (var error in config.Errors)
        {
            Assert.True(LocatedMessage().IsMatch(error), $"seed {seed}: message without {FileName}:LINE: {FuzzBudget.Preview(error)}");
        }
    }

    internal static string RandomText(int seed)
    {
        var random = new Random(seed);
        var length = random.Next(0, 4096);
        const string alphabet = " \t\n\r\"'\\#${}[]=.,-_:0123456789abcdefghijklmnopqrstuvwxyz";
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.Next(20) == 0 ? (char)random.Next(0, 0x10000) : alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    private static IReadOnlyList<string> LoadCorpus()
    {
        var root = FindRoot();
        var lines = new HashSet<string>(StringComparer.Ordinal);
        var sources = new[] { Path.Combine(root, "examples", "edge.toml") }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "tests", "Gatehouse.Edge.Tests", "Configuration"), "*.cs"));
        foreach (var file in sources)
        {
            foreach (var line in File.ReadLines(file))
            {
                var trimmed = line.Trim();
                if (TomlLine().IsMatch(trimmed))
                {
                    lines.Add(trimmed);
                }
            }
        }

        return [.. lines.Order(StringComparer.Ordinal)];
    }

    private static string FindRoot([System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(source)!); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gatehouse.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Gatehouse.slnx not found above " + source);
    }

    [GeneratedRegex(@"^edge\.toml:\d+: \S", RegexOptions.Singleline)]
    private static partial Regex LocatedMessage();

    // Table headers and key = value lines, as they appear in edge.toml and in the tests' raw strings.
    [GeneratedRegex(@"^(\[\[?[a-z_.]+\]\]?|[a-z_]+ = \S.*)$")]
    private static partial Regex TomlLine();
}
