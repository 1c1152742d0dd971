using Gatehouse.Telemetry.Tracing;

namespace Gatehouse.Telemetry.Tests.Tracing;

public sealed class TraceStateTests
{
    [Fact]
    public void Sanitize_ValidList_Unchanged()
    {
        Assert.Equal("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7", TraceState.Sanitize(["congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"]));
    }

    [Fact]
    public void Sanitize_SeveralFieldLines_JoinedWithComma()
    {
        Assert.Equal("a=1,b=2", TraceState.Sanitize(["a=1", "b=2"]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("novalue")]
    [InlineData("=value")]
    [InlineData("key=")]
    [InlineData("key=caf\u00e9")]
    public void Sanitize_InvalidMember_Dropped(string value)
    {
        Assert.Null(TraceState.Sanitize([value]));
    }

    [Fact]
    public void Sanitize_TooManyMembers_Dropped()
    {
        var members = string.Join(',', Enumerable.Range(0, TraceState.MaxMembers + 1).Select(i => $"k{i}=v"));

        Assert.Null(TraceState.Sanitize([members]));
    }

    [Fact]
    public void Sanitize_TooLong_Dropped()
    {
        Assert.Null(TraceState.Sanitize(["k=" + new string('v', TraceState.MaxLength)]));
    }
}
