using Gatehouse.Compat.Tests.Harness;
using static Gatehouse.Compat.Tests.Harness.ProbeRequest;
using static Gatehouse.Compat.Tests.Scenarios.CompatScenario;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>`compression algo|type|offload`: which responses are compressed and the headers that change.</summary>
internal static class CompressionScenarios
{
    private static readonly string[] CodingHeaders = ["content-encoding", "content-length", "transfer-encoding", "vary", "etag"];

    public static IEnumerable<CompatScenario> All() =>
    [
        Compress("compression gzip by accept-encoding", "compression algo gzip",
            Get("/", "Accept-Encoding: gzip"), Get("/"), Get("/", "Accept-Encoding: br, deflate;q=0.5, gzip"),
            Get("/", "Accept-Encoding: gzip;q=0"), Get("/", "Accept-Encoding: *")),
        Compress("compression deflate", "compression algo gzip deflate",
            Get("/", "Accept-Encoding: deflate, gzip"), Get("/", "Accept-Encoding: gzip, deflate")),
        Compress("compression types", "compression algo gzip\ncompression type text/html application/json",
            Get("/", "Accept-Encoding: gzip"),
            Get("/", "Accept-Encoding: gzip", "x-script-header: Content-Type: application/json; charset=utf-8"),
            Get("/", "Accept-Encoding: gzip", "x-script-header: Content-Type: text/html")),
        Compress("compression skipped responses", "compression algo gzip",
            new ProbeRequest("HEAD", "/", "Accept-Encoding: gzip"),
            Get("/", "Accept-Encoding: gzip", "x-script-status: 404"),
            Get("/", "Accept-Encoding: gzip", "x-script-header: Cache-Control: public, no-transform"),
            Get("/", "Accept-Encoding: gzip", "x-script-header: Content-Encoding: identity"),
            Get("/", "Accept-Encoding: gzip", "x-script-status: 201"),
            Get("/", "Accept-Encoding: gzip", "User-Agent: Mozilla/4.0 (X11)")),
        Compress("compression weakens etag", "compression algo gzip",
            Get("/", "Accept-Encoding: gzip", "x-script-header: ETag: \"v1\""),
            Get("/", "Accept-Encoding: gzip", "x-script-header: ETag: W/\"v2\"")),
        Compress("compression offload", "compression algo gzip\ncompression offload",
            Get("/", "Accept-Encoding: gzip, br"), Get("/", "Accept-Encoding: br")),
        Compress("compression in backend", "",
            Get("/", "Accept-Encoding: gzip")) with { Backends = Backend("b1", "s1", lines: "compression algo gzip") },
    ];

    private static CompatScenario Compress(string name, string frontend, params ProbeRequest[] requests) =>
        new(name, frontend + "\ndefault_backend b1", Backend("b1", "s1"), requests) { ExtraResponseHeaders = CodingHeaders };
}
