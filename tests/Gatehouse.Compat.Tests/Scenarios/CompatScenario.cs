using Gatehouse.Compat.Tests.Harness;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>What a scenario compares between HAProxy and Gatehouse.</summary>
internal enum Comparison
{
    /// <summary>Status, body, selected response headers, the server chosen and what that server received, per request.</summary>
    Full,

    /// <summary>Like <see cref="Full"/>, but servers are compared as counts per server over all requests, not in order.</summary>
    ServerCounts,

    /// <summary>
    /// Like <see cref="ServerCounts"/>, but instead of counts, whether each request reached the same server as the
    /// first request with the same target: for hash algorithms whose exact mapping differs.
    /// </summary>
    Stickiness,

    /// <summary>Only the status of each request.</summary>
    StatusOnly,
}

/// <summary>
/// One configuration and the requests sent to it. <see cref="Frontend"/> continues the `frontend fe` section
/// after its bind line; <see cref="Backends"/> follows it. Server addresses are written "${S1}" to "${S4}".
/// </summary>
internal sealed record CompatScenario(string Name, string Frontend, string Backends, ProbeRequest[] Requests)
{
    public Comparison Comparison { get; init; } = Comparison.Full;

    /// <summary>
    /// Compares the header field lines that the server received one by one, instead of joining repeated lines
    /// as RFC 9110 allows.
    /// </summary>
    public bool ExactFieldLines { get; init; }

    /// <summary>
    /// Compares an error page body by its shape: the markup and the h1 line with status and reason phrase, but
    /// not the sentence below it, which each implementation words in its own way.
    /// </summary>
    public bool BodyShapeOnly { get; init; }

    /// <summary>Response headers compared besides Content-Type, Location and X-* (X-Request-Id excepted).</summary>
    public string[] ExtraResponseHeaders { get; init; } = [];

    /// <summary>For a known difference: why Gatehouse differs, in one line.</summary>
    public string? Reason { get; init; }

    /// <summary>For a known difference: text that one of the reported differences must contain.</summary>
    public string? ExpectedDifference { get; init; }

    /// <summary>Extra lines for the defaults section.</summary>
    public string Defaults { get; init; } = "";

    public string Config => $$"""
        defaults
            mode http
            timeout connect 2s
            timeout client 5s
            timeout server 5s
        {{Indent(Defaults)}}

        frontend fe
            bind "127.0.0.1:${FE_PORT}"
        {{Indent(Frontend)}}

        {{Backends.Trim()}}

        """;

    public override string ToString() => Name;

    /// <summary>A backend section with one `server` line per name; each server line gets <paramref name="options"/>.</summary>
    public static string Backend(string name, string servers, string options = "", string lines = "")
    {
        var text = $"backend {name}\n" + Indent(lines) + "\n";
        foreach (var server in servers.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            text += $"    server {server} \"${{{server.ToUpperInvariant()}}}\" {options}".TrimEnd() + "\n";
        }

        return text;
    }

    private static string Indent(string lines) =>
        string.Join("\n", lines.Trim().Split('\n').Where(line => line.Trim().Length > 0).Select(line => "    " + line.Trim()));
}
