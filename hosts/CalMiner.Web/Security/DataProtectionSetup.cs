using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CalMiner.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace CalMiner.Web.Security;

/// <summary>
/// ASP.NET Core data protection, which encrypts the sign-in cookies and antiforgery tokens, with its key ring in
/// CalMiner's database (<see cref="DatabaseXmlRepository"/>): cookies survive restarts and every replica on the
/// database accepts them. The keys are encrypted at rest with the certificate <see cref="CertificatePathSetting"/>
/// names; outside Development and Testing the host does not start without one.
/// </summary>
internal static class DataProtectionSetup
{
    public const string CertificatePathSetting = "DATA_PROTECTION_CERTIFICATE_PATH";
    public const string CertificatePasswordSetting = "DATA_PROTECTION_CERTIFICATE_PASSWORD";

    // Fixed, so that replicas installed in different folders share keys (the default discriminator is the content root).
    private const string ApplicationName = "CalMiner";

    public static WebApplicationBuilder AddCalMinerDataProtection(this WebApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<DataProtectionKeyRepository>((options, keys) => options.XmlRepository = new DatabaseXmlRepository(keys));

        var certificate = LoadCertificate(builder.Configuration);
        if (certificate is not null)
        {
            dataProtection.ProtectKeysWithCertificate(certificate);
        }
        else if (!builder.Environment.IsDevelopment() && !builder.Environment.IsEnvironment("Testing"))
        {
            throw new InvalidOperationException(
                $"The data-protection keys, which encrypt the sign-in cookies, are stored in the database and must be encrypted there outside Development: " +
                $"set {CertificatePathSetting} to a PKCS#12 (.pfx) file holding a certificate with its RSA private key, and {CertificatePasswordSetting} to its password.");
        }
        else
        {
            // Unencrypted on purpose in Development and Testing: DatabaseStartup says so once at start, rather than the key
            // manager's warning for every new key, which reads as if something were misconfigured.
            builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        }

        builder.Services.AddSingleton(new KeyRingProtection(certificate?.Thumbprint));
        return builder;
    }

    private static X509Certificate2? LoadCertificate(IConfiguration configuration)
    {
        if (configuration[CertificatePathSetting] is not { Length: > 0 } path)
        {
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[CertificatePasswordSetting]);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{CertificatePathSetting}: cannot read the certificate '{path}' ({e.Message.TrimEnd('.')}); it must be a PKCS#12 (.pfx) file, and {CertificatePasswordSetting} its password.", e);
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPublicKey() is null)
        {
            throw new InvalidOperationException($"{CertificatePathSetting}: the certificate '{path}' must hold an RSA key with its private key, to decrypt the keys it encrypts.");
        }

        return certificate;
    }
}

/// <summary>How the data-protection key ring is protected at rest: the certificate's thumbprint, or <see langword="null"/> when it is stored unencrypted.</summary>
internal sealed record KeyRingProtection(string? CertificateThumbprint);
