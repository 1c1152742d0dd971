using System.Net;

namespace Gatehouse.Edge.Compute.Tests;

/// <summary>Limits, streaming, the runtime's own 504 and KV paging, through the suite guest at Fastly's default limits.</summary>
[Collection(nameof(SuiteCollection))]
public sealed class SuiteRuntimeTests(SuiteFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Module_SuiteGuest_ResolvesImportsOnce()
    {
        // The fast path reaches into Wasmtime's package by reflection. Without this test, a package upgrade that
        // breaks it would only show as a log line and slower requests.
        Assert.True(fixture.ResolvesImportsOnce, "instantiation fell back to Linker.Instantiate; see log event 3108");
        Assert.Equal("hi there|s3cret", await fixture.GetOkTextAsync("/config"));
    }

    [Fact]
    public async Task Guest_VcpuTime_ReportsPlausibleValue()
    {
        var body = await fixture.GetOkTextAsync("/vcpu");
        var vcpu = int.Parse(body.Split(';')[0]["vcpu=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(vcpu, 5, 49);
    }

    [Fact]
    public async Task Guest_SlowBackendWait_IsNotCpuTime()
    {
        Assert.Equal("waited:done", await fixture.GetOkTextAsync("/wait"));
    }

    [Fact]
    public async Task Guest_SilentAfterTimeout_Runtime504()
    {
        using var response = await Client.GetAsync("/silent-timeout");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.GatewayTimeout, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("BackendTimeout", body);
    }

    [Fact]
    public async Task Guest_StreamedBody_ClientReceivesEveryChunk()
    {
        using var response = await Client.GetAsync("/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.Equal("chunk0;chunk1;chunk2;chunk3;chunk4;", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Guest_KvList_PagesThroughCursor()
    {
        Assert.Equal("list-a,list-b|list-c,list-d|list-e", await fixture.GetOkTextAsync("/kv-list"));
    }
}
