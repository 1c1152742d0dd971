using System.Text;
using FsCheck.Fluent;
using Gatehouse.Balancer.Tests.Fuzz;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Pipeline;

namespace Gatehouse.Edge.Tests.Fuzz;

/// <summary>
/// Hostile request paths against the routing path normalization and the lenient form that the ambiguity check
/// compares it with. Neither throws, normalization is idempotent, resolves every dot segment, never grows the
/// path, and percent-encoded variants of one path normalize to one form.
/// </summary>
public sealed class PathNormalizationFuzzTests
{
    // Building blocks of hostile paths: dot segments in every encoding, encoded separators, overlong UTF-8
    // dots and slashes, broken and nested escapes, control characters and a few non-ASCII characters.
    private static readonly string[] HostilePieces =
    [
        "/", "//", "\\", ".", "..", "%2e", "%2E", "%2e%2e", ".%2e", "%2E.", "%252e", "%252E%252e", "%25",
        "%2f", "%2F", "%5c", "%5C", "%c0%ae", "%e0%80%ae", "%c0%af", "%e0%80%af", "%c1%9c", "%00", "\0", "\u0001",
        "\t", "\r", "\n", "\u007f", "%", "%2", "%%", "%2%65", "%%32%65", "%%36%35", "%G1", "%61", "%7e", "%7E",
        "%41", "%30", "%3", "a", "admin", "api", "public", "~", "-", "_", ";", "?", "#", "\u00e9", "\uffff",
        "\ud800", "\udc00",
    ];

    private static readonly string[] CleanSegments = ["a", "b", "api", "admin", "public", "x-y_z~", "0", ".", ".."];

    private static readonly PathNormalization Defaults = new();

    [Fact]
    public void Normalize_HostilePaths_IdempotentAndResolved()
    {
        var seeds = Gen.Choose(0, int.MaxValue).ToArbitrary();

        FuzzBudget.Check(seeds, seed => AssertNormalizes(HostilePath(seed), OptionsFor(seed), seed), defaultIterations: 500);
    }

    [Fact]
    public void Normalize_EncodedVariants_SameFormAsPlainPath()
    {
        var seeds = Gen.Choose(0, int.MaxValue).ToArbitrary();

        FuzzBudget.Check(seeds, seed => AssertVariantMatches(seed), defaultIterations: 500);
    }

    [Fact]
    public void LenientForm_HostilePaths_NeverThrowsOrEscapesRoot()
    {
        var seeds = Gen.Choose(0, int.MaxValue).ToArbitrary();

        FuzzBudget.Check(seeds, seed =>
        {
            var path = HostilePath(seed);
            var lenient = FuzzBudget.WithDeadline(() => PathSafety.LenientForm(path), path);
            if (lenient is not null)
            {
                Assert.StartsWith("/", lenient, StringComparison.Ordinal);
                Assert.DoesNotContain("..", lenient.Split('/'));
            }
        }, defaultIterations: 500);
    }

    /// <summary>Checks every property of one normalization; internal so regression tests share it.</summary>
    internal static void AssertNormalizes(string path, PathNormalization options, int seed)
    {
        var once = FuzzBudget.WithDeadline(() => RoutingPath.Normalize(path, options), path);
        var twice = FuzzBudget.WithDeadline(() => RoutingPath.Normalize(once, options), once);
        var context = $"seed {seed}, options {Describe(options)}, input {FuzzBudget.Preview(path)}";

        Assert.True(once == twice, $"{context}: not idempotent, {FuzzBudget.Preview(once)} became {FuzzBudget.Preview(twice)}");
        Assert.True(once.StartsWith('/'), $"{context}: result {FuzzBudget.Preview(once)} does not start with '/'");
        Assert.True(once.Length <= path.Length, $"{context}: result grew to {once.Length} chars from {path.Length}");
        if (options.ResolveDotSegments)
        {
            var segments = once.Split('/');
            Assert.True(!segments.Contains("..") && !segments.Contains("."), $"{context}: dot segment left in {FuzzBudget.Preview(once)}");
        }

        if (options.MergeSlashes)
        {
            Assert.True(!once.Contains("//", StringComparison.Ordinal), $"{context}: '//' left in {FuzzBudget.Preview(once)}");
        }
    }

    private static void AssertVariantMatches(int seed)
    {
        var random = new Random(seed);
        var plain = CleanPath(random);
        var variant = EncodeVariant(plain, random, out var doubledSlash);

        var expected = RoutingPath.Normalize(plain, Defaults);
        var actual = FuzzBudget.WithDeadline(() => RoutingPath.Normalize(variant, Defaults), variant);

        Assert.True(expected == actual, $"seed {seed}: {variant} normalized to {actual}, but {plain} to {expected}");
        if (!doubledSlash)
        {
            // The ambiguity check compares routes of these two forms; equal forms mean the request is never rejected.
            var lenient = PathSafety.LenientForm(variant) ?? RoutingPath.Normalize(variant, Defaults);
            Assert.True(expected == lenient, $"seed {seed}: lenient form of {variant} is {lenient}, expected {expected}");
        }
    }

    internal static string HostilePath(int seed)
    {
        var random = new Random(seed);
        var builder = new StringBuilder("/");
        var pieces = random.Next(1, 40);
        for (var i = 0; i < pieces; i++)
        {
            var piece = HostilePieces[random.Next(HostilePieces.Length)];
            // Now and then one piece repeats into a long run, up to about 24,000 chars.
            var repeat = random.Next(30) == 0 ? random.Next(100, 8000) : 1;
            for (var r = 0; r < repeat; r++)
            {
                builder.Append(piece);
            }

            if (random.Next(3) == 0)
            {
                builder.Append('/');
            }
        }

        return builder.ToString();
    }

    private static PathNormalization OptionsFor(int seed)
    {
        // The default options half the time, any combination otherwise.
        var bits = seed % 2 == 0 ? 7 : (seed >> 1) & 7;
        return new PathNormalization
        {
            MergeSlashes = (bits & 1) != 0,
            ResolveDotSegments = (bits & 2) != 0,
            DecodeUnreserved = (bits & 4) != 0,
        };
    }

    private static string CleanPath(Random random)
    {
        var count = random.Next(1, 12);
        var segments = Enumerable.Range(0, count).Select(_ => CleanSegments[random.Next(CleanSegments.Length)]);
        return "/" + string.Join('/', segments) + (random.Next(4) == 0 ? "/" : "");
    }

    // Percent-encodes some unreserved characters, in either hex case, and doubles some slashes.
    private static string EncodeVariant(string plain, Random random, out bool doubledSlash)
    {
        doubledSlash = false;
        var builder = new StringBuilder();
        foreach (var c in plain)
        {
            if (c == '/' && random.Next(5) == 0)
            {
                builder.Append("//");
                doubledSlash = true;
            }
            else if (c != '/' && random.Next(3) == 0)
            {
                var hex = ((int)c).ToString(random.Next(2) == 0 ? "x2" : "X2", System.Globalization.CultureInfo.InvariantCulture);
                builder.Append('%').Append(hex);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Describe(PathNormalization options) =>
        $"merge_slashes={options.MergeSlashes} resolve_dot_segments={options.ResolveDotSegments} decode_unreserved={options.DecodeUnreserved}";
}
