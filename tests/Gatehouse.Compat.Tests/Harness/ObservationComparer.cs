using System.Text.RegularExpressions;
using Gatehouse.Compat.Tests.Scenarios;

namespace Gatehouse.Compat.Tests.Harness;

/// <summary>Lists every way in which Gatehouse's observation differs from HAProxy's. An empty list means they agree.</summary>
internal static class ObservationComparer
{
    /// <summary>
    /// Request headers that legitimately differ at the origin, so they are left out of the comparison.
    /// x-request-id: Gatehouse adds one to every forwarded request, but HAProxy does so only with unique-id-header.
    /// connection, keep-alive, content-length and transfer-encoding: hop-by-hop and framing headers that
    /// each proxy sets for its own server connection.
    /// </summary>
    public static readonly HashSet<string> IgnoredRequestHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "x-request-id", "connection", "keep-alive", "content-length", "transfer-encoding",
    };

    /// <summary>Response headers compared by default. X-* headers are compared too, except X-Request-Id, which only Gatehouse sends.</summary>
    public static readonly string[] ComparedResponseHeaders = ["content-type", "location"];

    public static IReadOnlyList<string> Compare(CompatScenario scenario, Observation haproxy, Observation gatehouse)
    {
        if (gatehouse.StartFailure is not null)
        {
            return [$"gatehouse rejected the configuration: {gatehouse.StartFailure}"];
        }

        var differences = new List<string>();
        for (var i = 0; i < haproxy.Exchanges.Count; i++)
        {
            CompareExchange(scenario, i, haproxy.Exchanges[i], gatehouse.Exchanges[i], differences);
        }

        if (scenario.Comparison == Comparison.Full)
        {
            Check(differences, "all", "server sequence", ServerSequence(haproxy), ServerSequence(gatehouse));
        }

        if (scenario.Comparison == Comparison.Stickiness)
        {
            Check(differences, "all", "same server per target", Stickiness(haproxy), Stickiness(gatehouse));
        }

        if (scenario.Comparison == Comparison.ServerCounts)
        {
            Check(differences, "all", "requests per server", CountServers(haproxy), CountServers(gatehouse));
        }

        return differences;
    }

    private static void CompareExchange(CompatScenario scenario, int index, Exchange haproxy, Exchange gatehouse, List<string> differences)
    {
        var label = $"request {index + 1} ({haproxy.Request})";
        Check(differences, label, "status", haproxy.Response.Status.ToString(), gatehouse.Response.Status.ToString());
        if (scenario.Comparison == Comparison.StatusOnly)
        {
            return;
        }

        // The origin names itself in the body and in X-Served-By, so both compare only where the order of servers does.
        if (scenario.Comparison == Comparison.Full)
        {
            Check(differences, label, "body", Body(scenario, haproxy), Body(scenario, gatehouse));
            Check(differences, label, "response headers", SelectResponseHeaders(scenario, haproxy), SelectResponseHeaders(scenario, gatehouse));
            Check(differences, label, "server", Servers(haproxy), Servers(gatehouse));
        }

        var exact = scenario.ExactFieldLines;
        Check(differences, label, "request line at server", RequestLines(haproxy), RequestLines(gatehouse));
        Check(differences, label, "headers at server", ReceivedHeaders(haproxy, exact), ReceivedHeaders(gatehouse, exact));
    }

    private static void Check(List<string> differences, string label, string what, string haproxy, string gatehouse)
    {
        if (!string.Equals(haproxy, gatehouse, StringComparison.Ordinal))
        {
            differences.Add($"{label}: {what}: haproxy=<{haproxy}> gatehouse=<{gatehouse}>");
        }
    }

    private static string SelectResponseHeaders(CompatScenario scenario, Exchange exchange) =>
        Format(exchange.Response.Headers.Where(header =>
            ComparedResponseHeaders.Contains(header.Key)
            || scenario.ExtraResponseHeaders.Contains(header.Key, StringComparer.OrdinalIgnoreCase)
            || (header.Key.StartsWith("x-", StringComparison.Ordinal) && header.Key != "x-request-id")));

    private static string Body(CompatScenario scenario, Exchange exchange) =>
        scenario.BodyShapeOnly
            ? Regex.Replace(exchange.Response.Body, "</h1>\n[^<]*\n</body>", "</h1>\n(sentence)\n</body>")
            : Decode(exchange.Response);

    /// <summary>
    /// Returns the body with its gzip or deflate coding removed, because two compressors (HAProxy's and .NET's)
    /// produce different bytes for the same text; the Content-Encoding header is compared separately.
    /// </summary>
    private static string Decode(ProbeResponse response)
    {
        var coding = response.Headers.FirstOrDefault(header => header.Key == "content-encoding").Value;
        if (coding is not ("gzip" or "deflate"))
        {
            return response.Body;
        }

        using var compressed = new MemoryStream(System.Text.Encoding.Latin1.GetBytes(response.Body));
        using Stream decoder = coding == "gzip"
            ? new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Decompress)
            : new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(decoder, System.Text.Encoding.Latin1);
        return $"({coding}) " + reader.ReadToEnd();
    }

    private static string Servers(Exchange exchange) => string.Join(",", exchange.Received.Select(request => request.Server));

    private static string RequestLines(Exchange exchange) =>
        string.Join(" | ", exchange.Received.Select(request => $"{request.Method} {request.RawTarget}"));

    private static string ReceivedHeaders(Exchange exchange, bool exactFieldLines) =>
        string.Join(" | ", exchange.Received.Select(request =>
        {
            var headers = request.Headers.Where(header => !IgnoredRequestHeaders.Contains(header.Key));
            return Format(exactFieldLines ? headers : CombineFieldLines(headers));
        }));

    /// <summary>
    /// Joins repeated field lines into one with ", ", in order, which RFC 9110 section 5.3 defines as equivalent
    /// for list-valued fields. Cookie lines are joined with "; ", the separator between cookie pairs.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string>> CombineFieldLines(IEnumerable<KeyValuePair<string, string>> headers) =>
        headers
            .GroupBy(header => header.Key, StringComparer.OrdinalIgnoreCase)
            .Select(group => new KeyValuePair<string, string>(
                group.Key,
                string.Join(group.Key == "cookie" ? "; " : ", ", group.Select(header => header.Value))));

    private static string ServerSequence(Observation observation) =>
        string.Join(",", observation.Exchanges.SelectMany(exchange => exchange.Received).Select(request => request.Server));

    /// <summary>Per request: "first" for a new target, "same" or "moved" relative to that target's first server.</summary>
    private static string Stickiness(Observation observation)
    {
        var firstServer = new Dictionary<string, string>(StringComparer.Ordinal);
        var marks = new List<string>();
        foreach (var exchange in observation.Exchanges)
        {
            var server = Servers(exchange);
            if (!firstServer.TryAdd(exchange.Request.Target, server))
            {
                marks.Add(firstServer[exchange.Request.Target] == server ? "same" : "moved");
                continue;
            }

            marks.Add("first");
        }

        return string.Join(",", marks);
    }

    private static string CountServers(Observation observation) =>
        string.Join(",", observation.Exchanges
            .SelectMany(exchange => exchange.Received)
            .GroupBy(request => request.Server)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => $"{group.Key}={group.Count()}"));

    private static string Format(IEnumerable<KeyValuePair<string, string>> headers) =>
        string.Join("; ", headers
            .Select(header => $"{header.Key.ToLowerInvariant()}: {header.Value}")
            .Order(StringComparer.Ordinal));
}
