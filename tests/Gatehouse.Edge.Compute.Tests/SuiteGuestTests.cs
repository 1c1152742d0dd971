using System.Net;
using System.Text;

namespace Gatehouse.Edge.Compute.Tests;

[Collection(nameof(SuiteCollection))]
public sealed class SuiteGuestTests(SuiteFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Guest_Hello_ReturnsText()
    {
        using var response = await Client.GetAsync("/hello");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello from /hello", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Guest_Headers_ReadAndWritten()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        request.Headers.Add("x-test", "from-client");
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["from-client"], response.Headers.GetValues("x-seen"));
        Assert.Equal(["one", "two"], response.Headers.GetValues("x-multi").SelectMany(v => v.Split(", ")));
    }

    [Fact]
    public async Task Guest_ThreeSetCookies_ArriveAsThreeFields()
    {
        using var response = await Client.GetAsync("/headers");
        var cookies = response.Headers.GetValues("set-cookie").ToList();
        Assert.Equal(3, cookies.Count);
        Assert.Equal("a=1; Path=/", cookies[0]);
        Assert.Equal("c=3; Path=/", cookies[2]);
    }

    [Fact]
    public async Task Guest_PostBody_IsEchoed()
    {
        var payload = new string('x', 100_000) + "end";
        using var response = await Client.PostAsync("/echo", new StringContent(payload, Encoding.UTF8));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(payload, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Guest_TeedBody_ForwardsOneBranchToBackend()
    {
        using var response = await Client.PostAsync("/tee", new StringContent(new string('y', 5000)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("200|host=origin.test;len=5000|5000", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Guest_TwoFetches_BothComplete()
    {
        Assert.Equal("one+two", await fixture.GetOkTextAsync("/fetch"));
    }

    [Fact]
    public async Task Guest_BackendTimeout_Returns504()
    {
        using var response = await Client.GetAsync("/slow");
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.StartsWith("backend failed:", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Guest_ConfigAndSecretStores_AreRead()
    {
        Assert.Equal("hi there|s3cret", await fixture.GetOkTextAsync("/config"));
    }

    [Fact]
    public async Task Guest_KvInsert_IsReadBack()
    {
        Assert.Equal("stored-42", await fixture.GetOkTextAsync("/kv?value=stored-42"));
        Assert.Equal("stored-42", Encoding.UTF8.GetString(fixture.Environment.KvStores["data"].Get("key")!.Value));
    }

    [Fact]
    public async Task Guest_RateLimiter_CountsAndBlocks()
    {
        var client = $"client-{Guid.NewGuid():N}";
        var statuses = new List<HttpStatusCode>();
        string lastBody = "";
        for (var i = 0; i < 10; i++)
        {
            using var response = await Client.GetAsync($"/erl?client={client}");
            statuses.Add(response.StatusCode);
            lastBody = await response.Content.ReadAsStringAsync();
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.NotEqual("count=0", lastBody);
    }

    [Fact]
    public async Task Guest_InfiniteLoop_StopsWith500ThenServes()
    {
        using var looping = await Client.GetAsync("/loop");
        Assert.Equal(HttpStatusCode.InternalServerError, looping.StatusCode);
        Assert.Contains("CpuLimit", await looping.Content.ReadAsStringAsync());
        using var next = await Client.GetAsync("/hello");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Guest_HeapPastLimit_Returns500()
    {
        using var response = await Client.GetAsync("/heap");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var next = await Client.GetAsync("/hello");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Guest_UnimplementedHostcall_ReturnsUnsupported()
    {
        Assert.Contains("fastly_acl.open", fixture.UnsupportedImports);
        using var response = await Client.GetAsync("/unsupported");
        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.StartsWith("error:", await response.Content.ReadAsStringAsync());
    }
}
