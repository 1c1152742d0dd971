using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Experiments;

namespace Gatehouse.Edge.Tests.Experiments;

public sealed class VariantAssignerTests
{
    private static readonly Experiment Split = new(
        "checkout", null, Stickiness.Subject, [new Variant("control", 90), new Variant("new", 10)]);

    [Fact]
    public void Assign_SameKey_SameVariant()
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(VariantAssigner.Assign(Split, $"sub:user{i}"), VariantAssigner.Assign(Split, $"sub:user{i}"));
        }
    }

    [Fact]
    public void Assign_ManyKeys_FollowsWeights()
    {
        var counts = Enumerable.Range(0, 20_000)
            .GroupBy(i => VariantAssigner.Assign(Split, $"visitor:{i}").Name)
            .ToDictionary(g => g.Key, g => g.Count());

        // 10 % of 20,000 is 2,000; the binomial standard deviation is about 42, so ±300 cannot fail by chance.
        Assert.InRange(counts["new"], 1_700, 2_300);
        Assert.InRange(counts["control"], 17_700, 18_300);
    }

    [Fact]
    public void Assign_KnownKey_IsStableAcrossVersions()
    {
        // Pinned so a change of hash silently reshuffling every live client fails this test.
        var fifty = new Experiment("checkout", null, Stickiness.Subject, [new Variant("control", 50), new Variant("new", 50)]);
        var assigned = string.Join(",", new[] { "alice", "bob", "carol", "dave" }.Select(u => VariantAssigner.Assign(fifty, "sub:" + u).Name));

        Assert.Equal(Expected(fifty, ["alice", "bob", "carol", "dave"]), assigned);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF", false)]
    [InlineData("0123456789abcdef", false)]
    [InlineData("zz23456789abcdef0123456789abcdef", false)]
    [InlineData(null, false)]
    public void VisitorId_Format(string? value, bool valid)
    {
        Assert.Equal(valid, VariantAssigner.IsVisitorId(value));
    }

    [Fact]
    public void Loader_Experiment_ParsesVariants()
    {
        var config = EdgeConfigLoader.Parse(
            "[[experiments]]\nname = \"exp\"\nprefix = \"/api/\"\nsticky = \"cookie\"\nvariants = [{ name = \"a\", weight = 1 }, { name = \"b\", weight = 3 }]\n",
            "/tmp/edge.toml",
            new Dictionary<string, string>());

        var experiment = Assert.Single(config.Experiments);
        Assert.Equal(Stickiness.Cookie, experiment.Stickiness);
        Assert.Equal(4, experiment.TotalWeight);
        Assert.Equal("/api/", experiment.Prefix);
    }

    [Theory]
    [InlineData("variants = [{ name = \"a\", weight = 1 }]", "needs 'variants' with 2 to 32 entries")]
    [InlineData("variants = [{ name = \"a\", weight = 0 }, { name = \"b\", weight = 1 }]", "needs an integer 'weight' from 1 to 1000000")]
    [InlineData("variants = [{ name = \"a\", weight = 1 }, { name = \"a\", weight = 1 }]", "two variants with the same name")]
    [InlineData("variants = [{ name = \"a\", weight = 1 }, { name = \"b\", weigth = 1 }]", "needs an integer 'weight'")]
    [InlineData("sticky = \"ip\"\nvariants = [{ name = \"a\", weight = 1 }, { name = \"b\", weight = 1 }]", "must be \"subject\" or \"cookie\"")]
    public void Loader_BadExperiment_Rejected(string body, string expected)
    {
        var error = Assert.Throws<EdgeConfigException>(() => EdgeConfigLoader.Parse(
            "[[experiments]]\nname = \"exp\"\n" + body + "\n", "/tmp/edge.toml", new Dictionary<string, string>()));

        Assert.Contains(error.Errors, e => e.StartsWith("edge.toml:", StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
    }

    private static string Expected(Experiment experiment, string[] users)
    {
        // Recomputes the documented rule: SHA-256 of "name\nkey", first 8 bytes big-endian, modulo total weight.
        return string.Join(",", users.Select(user =>
        {
            var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(experiment.Name + "\nsub:" + user));
            var point = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)experiment.TotalWeight;
            return point < 50 ? "control" : "new";
        }));
    }
}
