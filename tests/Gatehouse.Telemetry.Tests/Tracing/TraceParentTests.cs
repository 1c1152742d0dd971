using System.Diagnostics;
using Gatehouse.Telemetry.Tracing;

namespace Gatehouse.Telemetry.Tests.Tracing;

public sealed class TraceParentTests
{
    private const string Valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    [Fact]
    public void TryParse_Valid_ReadsEveryField()
    {
        Assert.True(TraceParent.TryParse(Valid, out var parent));

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", parent.TraceId.ToHexString());
        Assert.Equal("00f067aa0ba902b7", parent.SpanId.ToHexString());
        Assert.Equal(ActivityTraceFlags.Recorded, parent.Flags);
    }

    [Fact]
    public void ToString_Parsed_RoundTrips()
    {
        Assert.True(TraceParent.TryParse(Valid, out var parent));

        Assert.Equal(Valid, parent.ToString());
    }

    [Fact]
    public void TryParse_UnsampledFlags_NotRecorded()
    {
        Assert.True(TraceParent.TryParse(Valid[..^2] + "00", out var parent));

        Assert.Equal(ActivityTraceFlags.None, parent.Flags);
        Assert.EndsWith("-00", parent.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("03", ActivityTraceFlags.Recorded)]
    [InlineData("0a", ActivityTraceFlags.None)]
    [InlineData("0b", ActivityTraceFlags.Recorded)]
    [InlineData("fe", ActivityTraceFlags.None)]
    public void TryParse_OtherFlagBits_OnlySampledBitKept(string flags, ActivityTraceFlags expected)
    {
        Assert.True(TraceParent.TryParse(Valid[..^2] + flags, out var parent));

        Assert.Equal(expected, parent.Flags);
    }

    [Fact]
    public void TryParse_LaterVersionWithExtraField_Accepted()
    {
        Assert.True(TraceParent.TryParse("01" + Valid[2..] + "-extra", out var parent));

        // The gateway only sends version 00.
        Assert.StartsWith("00-", parent.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-011")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01")]
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [InlineData("0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")]
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A")]
    [InlineData("00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [InlineData("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x")]
    public void TryParse_Invalid_Rejected(string value)
    {
        Assert.False(TraceParent.TryParse(value, out _));
    }
}
