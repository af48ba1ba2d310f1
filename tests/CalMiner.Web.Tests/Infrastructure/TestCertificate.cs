using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CalMiner.Web.Tests.Infrastructure;

/// <summary>
/// A self-signed RSA certificate in a password-protected PKCS#12 file, made once per test run: what
/// DATA_PROTECTION_CERTIFICATE_PATH and _PASSWORD name for a host outside Development and Testing.
/// </summary>
internal static class TestCertificate
{
    public const string Password = "test certificate password";

    private static readonly Lazy<(string Path, string Base64)> File = new(Create);

    /// <summary>The .pfx file.</summary>
    public static string Path => File.Value.Path;

    /// <summary>The certificate (without its key) in base64, as encrypted XML names the certificate it was encrypted to.</summary>
    public static string Base64 => File.Value.Base64;

    /// <summary>Settings that make a host encrypt its data-protection keys with the certificate.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("DATA_PROTECTION_CERTIFICATE_PATH", Path),
        new("DATA_PROTECTION_CERTIFICATE_PASSWORD", Password),
    ];

    private static (string, string) Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=CalMiner data protection (tests)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"calminer-data-protection-{Guid.NewGuid():N}.pfx");
        System.IO.File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return (path, Convert.ToBase64String(certificate.RawData));
    }
}
