using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Text;

namespace FastMQ.PerfHarness;

/// <summary>
/// A minimal Redis (RESP2) connection for the peer comparison: commands are appended to a buffer and sent with
/// <see cref="Flush"/> (so a tick's commands go out pipelined in one write); replies are read in order with
/// <see cref="Read"/>. One writer thread and one reader thread at most. Not a general client: no reconnects.
/// </summary>
internal sealed class RespConnection : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly BufferedStream _in;
    private readonly MemoryStream _out = new();

    public RespConnection(string hostPort)
    {
        int colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out int port))
        {
            throw new ArgumentException($"--redis {hostPort}: expected HOST:PORT");
        }
        _tcp = new TcpClient(hostPort[..colon], port) { NoDelay = true };
        _stream = _tcp.GetStream();
        _in = new BufferedStream(_stream, 1 << 16);
    }

    public void Append(params object[] args)
    {
        WriteLine('*', args.Length);
        foreach (object a in args)
        {
            byte[] bytes = a as byte[] ?? Encoding.UTF8.GetBytes(Convert.ToString(a, CultureInfo.InvariantCulture) ?? "");
            WriteLine('$', bytes.Length);
            _out.Write(bytes);
            _out.Write("\r\n"u8);
        }
    }

    public void Flush()
    {
        _stream.Write(_out.GetBuffer(), 0, (int)_out.Length);
        _out.SetLength(0);
    }

    /// <summary>Sends one command and reads its reply.</summary>
    public object? Call(params object[] args)
    {
        Append(args);
        Flush();
        return Read();
    }

    /// <summary>One reply: string (simple), long (integer), byte[] (bulk), object?[] (array) or null; errors throw.</summary>
    public object? Read()
    {
        int type = _in.ReadByte();
        string line = ReadLine();
        switch (type)
        {
            case '+':
                return line;
            case '-':
                throw new InvalidOperationException("redis error: " + line);
            case ':':
                return long.Parse(line, CultureInfo.InvariantCulture);
            case '$':
                int length = int.Parse(line, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }
                byte[] bulk = new byte[length];
                _in.ReadExactly(bulk);
                ReadLine();
                return bulk;
            case '*':
                int count = int.Parse(line, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return null;
                }
                var items = new object?[count];
                for (int i = 0; i < count; i++)
                {
                    items[i] = Read();
                }
                return items;
            case -1:
                throw new EndOfStreamException("redis closed the connection");
            default:
                throw new InvalidDataException($"unexpected RESP type byte {type}");
        }
    }

    private void WriteLine(char prefix, int n)
    {
        _out.WriteByte((byte)prefix);
        _out.Write(Encoding.ASCII.GetBytes(n.ToString(CultureInfo.InvariantCulture)));
        _out.Write("\r\n"u8);
    }

    private string ReadLine()
    {
        var sb = new List<byte>(16);
        while (true)
        {
            int b = _in.ReadByte();
            if (b < 0)
            {
                throw new EndOfStreamException("redis closed the connection");
            }
            if (b == '\r')
            {
                _in.ReadByte();
                return Encoding.ASCII.GetString(sb.ToArray());
            }
            sb.Add((byte)b);
        }
    }

    public void Dispose()
    {
        _in.Dispose();
        _tcp.Dispose();
        _out.Dispose();
    }
}
