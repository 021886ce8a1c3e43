package io.surge.cli.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * SASL_SSL with SCRAM-SHA-512 for the embedded broker: a self-signed certificate for 127.0.0.1 made
 * at runtime with the JDK's {@code keytool} (passwords handed over in its environment, never on a
 * command line), a truststore holding it, one SCRAM user with a random password, the broker
 * settings, and the client settings every Surge component gets through {@code
 * surge.kafka.properties.*}.
 */
public final class KafkaSecurity {

  public static final String MECHANISM = "SCRAM-SHA-512";
  private static final String USER = "surge";
  private static final String STORE_PASSWORD_ENV = "SURGE_STORE_PASSWORD";
  private static final String TRUST_PASSWORD_ENV = "SURGE_TRUST_PASSWORD";

  private final String scramPassword;
  private final String keystorePassword;
  private final String truststorePassword;
  private final Path keystore;
  private final Path truststore;

  private KafkaSecurity(
      String scramPassword,
      String keystorePassword,
      String truststorePassword,
      Path keystore,
      Path truststore) {
    this.scramPassword = scramPassword;
    this.keystorePassword = keystorePassword;
    this.truststorePassword = truststorePassword;
    this.keystore = keystore;
    this.truststore = truststore;
  }

  /** Fresh passwords and a fresh key pair, certificate and truststore in {@code dir}. */
  public static KafkaSecurity generate(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    KafkaSecurity s =
        new KafkaSecurity(
            randomSecret(),
            randomSecret(),
            randomSecret(),
            dir.resolve("broker.p12"),
            dir.resolve("truststore.p12"));
    Path certificate = dir.resolve("broker.pem");
    s.keytool(
        "-genkeypair",
        "-alias",
        "broker",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-storetype",
        "PKCS12",
        "-keystore",
        s.keystore.toString(),
        "-storepass:env",
        STORE_PASSWORD_ENV,
        "-keypass:env",
        STORE_PASSWORD_ENV);
    s.keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "broker",
        "-keystore",
        s.keystore.toString(),
        "-storepass:env",
        STORE_PASSWORD_ENV,
        "-file",
        certificate.toString());
    s.keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "broker",
        "-file",
        certificate.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        s.truststore.toString(),
        "-storepass:env",
        TRUST_PASSWORD_ENV);
    return s;
  }

  /** 24 random bytes in hex: no character that needs quoting in JAAS or SCRAM arguments. */
  private static String randomSecret() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put(STORE_PASSWORD_ENV, keystorePassword);
    builder.environment().put(TRUST_PASSWORD_ENV, truststorePassword);
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed: " + output.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }

  /** Every secret: what no log line may contain. */
  public List<String> secrets() {
    return List.of(scramPassword, keystorePassword, truststorePassword);
  }

  /** The SCRAM user created when the broker's storage is formatted ({@code --add-scram}). */
  List<String> scramArguments() {
    return List.of(MECHANISM + "=[name=" + USER + ",password=" + scramPassword + "]");
  }

  /**
   * The broker's listeners: clients and the broker itself on SASL_SSL, the KRaft controller
   * (in-process, same node) on PLAINTEXT.
   */
  Map<String, String> brokerProperties(String host, int port, int controllerPort) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(
        "listeners",
        "SASL_SSL://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    p.put("advertised.listeners", "SASL_SSL://" + host + ":" + port);
    p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "SASL_SSL");
    p.put("sasl.enabled.mechanisms", MECHANISM);
    p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
    p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas());
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", keystore.toString());
    p.put("ssl.keystore.password", keystorePassword);
    p.put("ssl.key.password", keystorePassword);
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", truststore.toString());
    p.put("ssl.truststore.password", truststorePassword);
    p.put("ssl.client.auth", "none");
    return p;
  }

  /** What a client needs, as {@code surge.kafka.properties.*} carries it (without the prefix). */
  public Properties clientProperties() {
    Properties p = new Properties();
    p.put("security.protocol", "SASL_SSL");
    p.put("sasl.mechanism", MECHANISM);
    p.put("sasl.jaas.config", jaas());
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", truststore.toString());
    p.put("ssl.truststore.password", truststorePassword);
    return p;
  }

  private String jaas() {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + USER
        + "\" password=\""
        + scramPassword
        + "\";";
  }
}
