using static Gatehouse.Compat.Tests.Harness.ProbeRequest;
using static Gatehouse.Compat.Tests.Scenarios.CompatScenario;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>The field, word and JWT converters, seen through the headers the origin receives.</summary>
internal static class ConverterScenarios
{
    // Header {"alg":"RS256","kid":"k1","typ":"JWT"}, payload {"iss":"https://id.example","sub":"alice",
    // "groups":["staff","admin"],"n":42,"ok":true}, signature "sig". The converters do not check signatures.
    private const string Token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0."
        + "eyJpc3MiOiJodHRwczovL2lkLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImdyb3VwcyI6WyJzdGFmZiIsImFkbWluIl0sIm4iOjQyLCJvayI6dHJ1ZX0.c2ln";

    private static readonly string OneBackend = Backend("b1", "s1");

    public static IEnumerable<CompatScenario> All() =>
    [
        Headers("field and word with counts",
            [
                "X-F1 %[req.hdr(x-in),field(2,_,2)]",
                "X-F2 %[req.hdr(x-in),field(2,_,0)]",
                "X-F3 %[req.hdr(x-in),field(-2,_,3)]",
                "X-F4 %[req.hdr(x-in),field(-3,_,0)]",
                "X-F5 %[req.hdr(x-in),field(9,_)]",
                "X-W1 %[req.hdr(x-in),word(3,_,2)]",
                "X-W2 %[req.hdr(x-in),word(2,_,0)]",
                "X-W3 %[req.hdr(x-in),word(-2,_,3)]",
                "X-W4 %[req.hdr(x-in),word(-1,_)]",
            ],
            Get("/", "X-In: f1_f2_f3__f5"), Get("/", "X-In: w1_w2_w3___w4"), Get("/", "X-In: single")),
        Headers("field with several delimiters",
            ["X-Host %[req.hdr(x-in),field(1,:/)]", "X-Port %[req.hdr(x-in),field(2,:/)]", "X-Path %[req.hdr(x-in),word(3,:/)]"],
            Get("/", "X-In: example.test:8443//a/b")),
        Headers("jwt header and payload queries",
            [
                "X-Alg %[http_auth_bearer,jwt_header_query($.alg)]",
                "X-Kid %[http_auth_bearer,jwt_header_query($.kid)]",
                "X-Iss %[http_auth_bearer,jwt_payload_query($.iss)]",
                "X-Sub %[http_auth_bearer,jwt_payload_query($.sub)]",
                "X-N %[http_auth_bearer,jwt_payload_query($.n,int)]",
                "X-Missing %[http_auth_bearer,jwt_payload_query($.nope)]",
            ],
            Get("/", $"Authorization: Bearer {Token}"), Get("/", "Authorization: Bearer not-a-token"), Get("/")),
        new("jwt claim routes to a backend",
            "use_backend b2 if { http_auth_bearer,jwt_payload_query($.sub) -m str alice }\ndefault_backend b1",
            OneBackend + Backend("b2", "s2"),
            [Get("/", $"Authorization: Bearer {Token}"), Get("/")]),
    ];

    private static CompatScenario Headers(string name, string[] headers, params Harness.ProbeRequest[] requests) =>
        new(name, string.Join("\n", headers.Select(header => "http-request set-header " + header)) + "\ndefault_backend b1", OneBackend, requests);
}
