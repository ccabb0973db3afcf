using System.Security.Cryptography;
using System.Text;

namespace Serverless.Durable.Replay;

/// <summary>Name-based (RFC 4122 version 5, SHA-1) GUIDs.</summary>
internal static class DeterministicGuid
{
    /// <summary>The namespace DTF uses for orchestration GUIDs.</summary>
    private static readonly Guid Namespace = new("9e952958-5e33-4daf-827f-2fa12937b875");

    public static Guid Create(string name)
    {
        var namespaceBytes = Namespace.ToByteArray(bigEndian: true);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var hash = SHA1.HashData([.. namespaceBytes, .. nameBytes]);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
