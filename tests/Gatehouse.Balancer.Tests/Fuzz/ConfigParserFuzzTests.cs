using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tests.Fuzz;

/// <summary>
/// Hostile haproxy.cfg text: the loader either returns a configuration or throws a ConfigException whose
/// every message starts with FILE:LINE, and no case hangs.
/// </summary>
public sealed partial class ConfigParserFuzzTests
{
    private const string FileName = "fuzz.cfg";

    private static readonly Dictionary<string, string> NoVariables = new(StringComparer.Ordinal);

    [Fact]
    public void Parse_MutatedConfigs_ReturnsConfigOrConfigException()
    {
        var seeds = Gen.Choose(0, int.MaxValue).ToArbitrary();

        FuzzBudget.Check(seeds, seed => AssertParsesOrExplains(ConfigMutator.Build(seed), seed), defaultIterations: 100);
    }

    [Fact]
    public void Parse_RandomCharacters_ReturnsConfigOrConfigException()
    {
        var noise = Gen.Choose(0, int.MaxValue).ToArbitrary();

        FuzzBudget.Check(noise, seed => AssertParsesOrExplains(RandomText(seed), seed), defaultIterations: 100);
    }

    /// <summary>Parses <paramref name="text"/> and checks the outcome; internal so regression tests share it.</summary>
    internal static void AssertParsesOrExplains(string text, int seed)
    {
        var outcome = FuzzBudget.WithDeadline<Exception?>(() =>
        {
            try
            {
                BalancerConfigLoader.Parse(text, FileName, NoVariables);
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

        if (outcome is not ConfigException config)
        {
            throw new InvalidOperationException($"seed {seed}: {outcome.GetType().Name} instead of ConfigException; input: {FuzzBudget.Preview(text)}", outcome);
        }

        Assert.NotEmpty(config.Errors);
        foreach (var error in config.Errors)
        {
            Assert.True(LocatedMessage().IsMatch(error), $"seed {seed}: message without {FileName}:LINE: {FuzzBudget.Preview(error)}");
        }
    }

    private static string RandomText(int seed)
    {
        var random = new Random(seed);
        var length = random.Next(0, 4096);
        var alphabet = " \t\n\r\"'\\#${}!%[](),:-_/.0123456789abcdefghijklmnopqrstuvwxyz";
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.Next(20) == 0 ? (char)random.Next(0, 0x10000) : alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    [GeneratedRegex(@"^fuzz\.cfg:\d+: \S", RegexOptions.Singleline)]
    private static partial Regex LocatedMessage();
}
