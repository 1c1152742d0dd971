using System.Net.Sockets;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Health;
using Gatehouse.Balancer.LoadBalancing;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Balancer.Tests.Health;

public sealed class PassiveHealthUnitTests
{
    private static ServerState Checked(int rise = 2, int fall = 3) => new(
        new ServerConfig("s1", "127.0.0.1", 9000, 1, null, false, false, new ConfigLocation("t.cfg", 1))
        {
            Check = new ServerCheckSettings(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), rise, fall),
        });

    private static PassiveHealthSettings Passive(OnErrorAction action, int limit = 1) => new(ObserveMode.Layer7, limit, action);

    [Theory]
    [InlineData(100, true)]
    [InlineData(200, true)]
    [InlineData(499, true)]
    [InlineData(500, false)]
    [InlineData(501, true)]
    [InlineData(502, false)]
    [InlineData(503, false)]
    [InlineData(504, false)]
    [InlineData(505, true)]
    [InlineData(599, false)]
    [InlineData(600, false)]
    public void ForStatus_HaproxyValidCodes(int status, bool valid)
    {
        Assert.Equal(valid ? TrafficEvent.Succeeded : TrafficEvent.ResponseFailed, PassiveHealth.ForStatus(status));
    }

    [Fact]
    public void ForError_Kinds_Classified()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused));
        var invalid = new HttpRequestException(HttpRequestError.InvalidResponse, "junk");

        Assert.Equal(TrafficEvent.ConnectionFailed, PassiveHealth.ForError(ForwarderError.Request, refused));
        Assert.Equal(TrafficEvent.ResponseFailed, PassiveHealth.ForError(ForwarderError.Request, invalid));
        Assert.Equal(TrafficEvent.ResponseFailed, PassiveHealth.ForError(ForwarderError.RequestTimedOut, null));
        Assert.Equal(TrafficEvent.Ignored, PassiveHealth.ForError(ForwarderError.RequestCanceled, null));
        Assert.Equal(TrafficEvent.Ignored, PassiveHealth.ForError(ForwarderError.ResponseBodyClient, null));
    }

    [Fact]
    public void ErrorsBelowLimit_HealthUnchanged()
    {
        var server = Checked();

        Assert.Equal(PassiveVerdict.None, server.ObserveTraffic(true, Passive(OnErrorAction.MarkDown, limit: 3)));
        Assert.Equal(PassiveVerdict.None, server.ObserveTraffic(true, Passive(OnErrorAction.MarkDown, limit: 3)));
        Assert.Equal(4, server.Health);
        Assert.True(server.IsUp);
    }

    [Fact]
    public void MarkDown_AtLimit_DownWithHealthZero()
    {
        var server = Checked();

        Assert.Equal(PassiveVerdict.MarkedDown, server.ObserveTraffic(true, Passive(OnErrorAction.MarkDown)));
        Assert.False(server.IsUp);
        Assert.Equal(0, server.Health);
        Assert.Equal(1, server.PassiveFailures);
        Assert.True(server.FastCheckRequested.IsCompleted);
    }

    [Fact]
    public void MarkedDown_ComesBackOnlyAfterRiseChecks()
    {
        var server = Checked(rise: 3);
        server.ObserveTraffic(true, Passive(OnErrorAction.MarkDown));

        for (var i = 0; i < 50; i++)
        {
            server.ObserveTraffic(false, Passive(OnErrorAction.MarkDown));
        }

        Assert.False(server.IsUp);
        Assert.Null(server.RecordCheck(true));
        Assert.Null(server.RecordCheck(true));
        Assert.True(server.RecordCheck(true));
        Assert.True(server.IsUp);
    }

    [Fact]
    public void DownByChecks_TrafficSuccess_StaysDown()
    {
        var server = Checked(rise: 2, fall: 2);
        server.RecordCheck(false);
        server.RecordCheck(false);

        for (var i = 0; i < 50; i++)
        {
            server.ObserveTraffic(false, Passive(OnErrorAction.FailCheck));
        }

        Assert.False(server.IsUp);
        Assert.Equal(0, server.Health);
    }

    [Fact]
    public void DownServer_FurtherErrors_HealthNotRaised()
    {
        var server = Checked(rise: 3, fall: 2);
        server.ObserveTraffic(true, Passive(OnErrorAction.MarkDown));
        server.RecordCheck(true);

        Assert.Equal(PassiveVerdict.ActionApplied, server.ObserveTraffic(true, Passive(OnErrorAction.MarkDown)));
        Assert.Equal(1, server.Health);
        Assert.False(server.IsUp);
    }

    [Fact]
    public void FastInter_AtLimit_OnlyRequestsCheck()
    {
        var server = Checked();

        Assert.Equal(PassiveVerdict.ActionApplied, server.ObserveTraffic(true, Passive(OnErrorAction.FastInterval)));
        Assert.Equal(4, server.Health);
        Assert.True(server.FastCheckRequested.IsCompleted);
        server.ResetFastCheck();
        Assert.False(server.FastCheckRequested.IsCompleted);
    }

    [Fact]
    public void SuddenDeath_AtLimit_LeavesOneCheckToDown()
    {
        var server = Checked(rise: 2, fall: 5);
        server.RecordCheck(false);

        // Health 5 of 6 becomes rise + 1, then the counted failed check leaves it at rise.
        Assert.Equal(5, server.Health);
        Assert.Equal(PassiveVerdict.ActionApplied, server.ObserveTraffic(true, Passive(OnErrorAction.SuddenDeath)));
        Assert.Equal(2, server.Health);
        Assert.True(server.IsUp);
        Assert.False(server.RecordCheck(false));
        Assert.False(server.IsUp);
    }
}
