using System.Text.Json;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>The example guest of examples/guests/hello, built and run by the stack that `gatehouse up` starts.</summary>
public sealed class GuestRouteTests(StackFixture stack) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task HelloGuest_CallsBalancer_BothTiersRecordSameRequestId()
    {
        using var response = await stack.GetAsync("/hello/origin");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var requestId = response.Headers.GetValues("X-Request-Id").Single();

        var edgeRecord = await StackFixture.WaitForRecordAsync(stack.Stack.RunFolder.EdgeDecisionLog, requestId);
        var balancerRecord = await StackFixture.WaitForRecordAsync(stack.Stack.RunFolder.BalancerDecisionLog, requestId);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("hello from the edge guest", body.GetProperty("greeting").GetString());
        Assert.Equal(200, body.GetProperty("origin_status").GetInt32());
        Assert.Equal("guest", edgeRecord.GetProperty("decision").GetString());
        Assert.Equal(200, edgeRecord.GetProperty("status").GetInt32());
        Assert.Equal("balancer", balancerRecord.GetProperty("tier").GetString());
        Assert.Equal("/api/public/from-guest", balancerRecord.GetProperty("path").GetString());
    }

    [Fact]
    public async Task HelloGuest_SpoofedSubjectHeader_GuestSeesNone()
    {
        using var response = await stack.GetAsync("/hello/", configure: request => request.Headers.Add("X-Gatehouse-Subject", "admin"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("subject").ValueKind);
    }
}
