namespace Gatehouse.Telemetry.Decisions.Sinks;

public enum SyslogTransport
{
    /// <summary>One message per datagram (RFC 5426).</summary>
    Udp,

    /// <summary>A stream of messages framed by octet counting (RFC 6587 section 3.4.1).</summary>
    Tcp,
}

/// <summary>Where a <see cref="SyslogWriter"/> sends RFC 5424 messages.</summary>
public sealed class SyslogOptions
{
    /// <summary>Host name or IP address of the syslog server.</summary>
    public required string Host { get; init; }

    public int Port { get; init; } = 514;

    public SyslogTransport Transport { get; init; } = SyslogTransport.Udp;

    /// <summary>Syslog facility number, 0 to 23. Default 16 (local0).</summary>
    public int Facility { get; init; } = 16;

    /// <summary>HOSTNAME field of each message. Default: this machine's name.</summary>
    public string HostName { get; init; } = Environment.MachineName;

    /// <summary>Time allowed to open a TCP connection. Default 5 seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
