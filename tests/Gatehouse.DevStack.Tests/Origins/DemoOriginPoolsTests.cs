using Gatehouse.DevStack.Origins;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.DevStack.Tests.Origins;

public sealed class DemoOriginPoolsTests
{
    [Fact]
    public async Task StartDefault_FreePorts_FiveServersAndVariables()
    {
        var origins = await DemoOriginPools.StartDefaultAsync(NullLoggerFactory.Instance, CancellationToken.None, false);
        try
        {
            var layout = origins.Select(origin => $"{origin.Pool}/{origin.Server}").ToArray();
            Assert.Equal(["public/public1", "public/public2", "staff/staff1", "staff/staff2", "admin/admin1"], layout);

            var variables = DemoOriginPools.BuildBalancerVariables(origins);
            Assert.Equal(
                ["ORIGIN_ADMIN1", "ORIGIN_PUBLIC1", "ORIGIN_PUBLIC2", "ORIGIN_STAFF1", "ORIGIN_STAFF2"],
                variables.Keys.Order(StringComparer.Ordinal));
            Assert.Equal($"127.0.0.1:{origins[0].Address.Port}", variables["ORIGIN_PUBLIC1"]);
            Assert.Equal($"127.0.0.1:{origins[4].Address.Port}", variables["ORIGIN_ADMIN1"]);

            using var http = new HttpClient();
            var echo = await http.GetStringAsync(new Uri($"http://{variables["ORIGIN_STAFF1"]}/x"));
            Assert.Contains("\"server\":\"staff1\"", echo, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var origin in origins)
            {
                await origin.DisposeAsync();
            }
        }
    }
}
