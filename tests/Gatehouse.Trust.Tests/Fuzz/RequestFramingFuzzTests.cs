using FsCheck.Fluent;
using Gatehouse.Balancer.Tests.Fuzz;
using Gatehouse.Trust.Framing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.Trust.Tests.Fuzz;

/// <summary>
/// Generated Content-Length and Transfer-Encoding mixes against <see cref="RequestFraming.CheckAsync"/>: it never
/// throws, rejects every head whose body framing has more than one reading, and passes one plain Content-Length
/// within the body limit or exactly one "chunked" coding.
/// </summary>
public sealed class RequestFramingFuzzTests
{
    private const long BodyLimit = 1000;

    private static readonly string[] LengthNames = ["Content-Length", "content-length", "CONTENT-LENGTH", "X-Content-Length"];

    private static readonly string[] CodingNames = ["Transfer-Encoding", "transfer-encoding", "TRANSFER-ENCODING"];

    private static readonly string[] OtherNames = ["Host", "X-Other", "TE", "Content-Type"];

    private static readonly string[] Lengths =
    [
        "0", "5", "1000", "1001", "005", " 5", "5 ", "\t5", "+5", "-1", "5,5", "5, 6", "5 6", "", "0x10", "1e3", "5.0",
        "\u0663", "9223372036854775807", "9223372036854775808", "99999999999999999999999999", "5\0", "5\r",
    ];

    private static readonly string[] Codings =
    [
        "chunked", "Chunked", "CHUNKED", " chunked", "chunked ", "chunked, chunked", "gzip, chunked", "chunked, gzip",
        "identity", "chunked;q=1", "", ",chunked", "chunked,", "chunked\0", "\u0441hunked", "x-chunked", "chunk", "gzip",
    ];

    private static readonly string[] Protocols = ["HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2"];

    [Fact]
    public void CheckAsync_GeneratedHeads_RejectsEveryAmbiguousFraming()
    {
        var seeds = Gen.Choose(0, int.MaxValue).ToArbitrary();

        FuzzBudget.Check(seeds, seed => AssertDecision(GeneratedHead.Build(seed, Lengths, Codings), seed), defaultIterations: 1000);
    }

    /// <summary>Runs the check on one head and compares it with the model; internal so regression tests share it.</summary>
    internal static void AssertDecision(GeneratedHead head, int seed)
    {
        var context = head.ToContext(BodyLimit);
        var outcome = FuzzBudget.WithDeadline<(FramingError? Error, Exception? Thrown)>(() =>
        {
            try
            {
                return (RequestFraming.CheckAsync(context).GetAwaiter().GetResult(), null);
            }
            catch (Exception e)
            {
                return (null, e);
            }
        }, head.ToString());

        var description = $"seed {seed}: {head}";
        Assert.True(outcome.Thrown is null, $"{description}: threw {outcome.Thrown}");
        if (head.Protocol == "HTTP/2")
        {
            // HTTP/2 frames its own body and Kestrel validates its length, so only the body limit applies here.
            Assert.True(outcome.Error is null or { Status: 413 }, $"{description}: got {outcome.Error}");
            return;
        }

        var expected = ExpectedStatus(head);
        Assert.True(expected == outcome.Error?.Status,
            $"{description}: expected {expected?.ToString() ?? "pass"}, got {outcome.Error?.Status.ToString() ?? "pass"} ({outcome.Error?.Reason})");
    }

    // The model for HTTP/1: Transfer-Encoding passes only as one exact "chunked" value on HTTP/1.1 with no
    // length beside it, and a length passes only as one string of decimal digits within the body limit.
    private static int? ExpectedStatus(GeneratedHead head)
    {
        var codings = head.Values(CodingNames);
        var lengths = head.Values(["Content-Length"]);
        var moved = head.Values(["X-Content-Length"]);
        if (codings.Count > 0)
        {
            var clean = head.Protocol == "HTTP/1.1" && lengths.Count == 0 && moved.Count == 0
                && codings.Count == 1 && codings[0] == "chunked";
            return clean ? null : 400;
        }

        if (lengths.Count == 0)
        {
            return null;
        }

        return SingleLength(lengths) switch
        {
            null => 400,
            > BodyLimit => 413,
            _ => null,
        };
    }

    private static long? SingleLength(IReadOnlyList<string> values) =>
        values.Count == 1 && values[0].Length is > 0 and <= 19 && values[0].All(char.IsAsciiDigit)
            && long.TryParse(values[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>A request head as a protocol and an ordered list of header lines, built from a seed.</summary>
    internal sealed record GeneratedHead(string Protocol, IReadOnlyList<(string Name, string Value)> Headers)
    {
        public static GeneratedHead Build(int seed, string[] lengths, string[] codings)
        {
            var random = new Random(seed);
            var headers = new List<(string, string)>();
            var count = random.Next(0, 6);
            for (var i = 0; i < count; i++)
            {
                headers.Add(random.Next(5) switch
                {
                    0 or 1 => (Pick(random, LengthNames), Pick(random, lengths)),
                    2 or 3 => (Pick(random, CodingNames), Pick(random, codings)),
                    _ => (Pick(random, OtherNames), "v"),
                });
            }

            return new GeneratedHead(Pick(random, Protocols), headers);
        }

        // Mirrors HeaderDictionary, which drops a header whose only value is empty. NOTE: this fuzz target does
        // not cover how Kestrel's own header collection stores an empty Transfer-Encoding.
        public IReadOnlyList<string> Values(IReadOnlyList<string> names)
        {
            var values = new List<string>();
            foreach (var (name, value) in Headers.Where(h => names.Contains(h.Name, StringComparer.OrdinalIgnoreCase)))
            {
                values.Add(value);
                if (values is [""])
                {
                    values.Clear();
                }
            }

            return values;
        }

        public HttpContext ToContext(long bodyLimit)
        {
            var context = new DefaultHttpContext();
            context.Request.Protocol = Protocol;
            foreach (var (name, value) in Headers)
            {
                context.Request.Headers.Append(name, value);
            }

            context.Features.Set<IHttpMaxRequestBodySizeFeature>(new BodyLimitFeature(bodyLimit));
            context.Request.Body = new MemoryStream(new byte[16]);
            return context;
        }

        public override string ToString() =>
            Protocol + " " + string.Join(" | ", Headers.Select(h => FuzzBudget.Preview($"{h.Name}: {h.Value}")));

        private static string Pick(Random random, string[] choices) => choices[random.Next(choices.Length)];
    }

    private sealed class BodyLimitFeature(long limit) : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => true;

        public long? MaxRequestBodySize { get; set; } = limit;
    }
}
