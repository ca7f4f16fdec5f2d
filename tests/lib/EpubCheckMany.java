/*
 * EpubCheckMany.java - validates many EPUB files in one JVM.
 *
 * Starting epubcheck's JVM costs seconds per call, more than checking a
 * small book, so the tests hand every EPUB a case writes to one run of
 * this driver. It uses epubcheck's own API (EpubCheck with the report the
 * command line uses), so the messages and counts are those of
 * `java -jar epubcheck.jar FILE`.
 *
 * Usage: java -cp /usr/share/java/epubcheck.jar:DIR EpubCheckMany FILE...
 * Output, per file, in order:
 *   @@ BEGIN FILE
 *   the messages epubcheck prints (FATAL(...)/ERROR(...)/WARNING(...) lines)
 *   @@ END FILE fatals=N errors=N warnings=N infos=N
 * Exit status 0 when every file was checked (whatever it held), 2 on a
 * usage error.
 */
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public final class EpubCheckMany {
  private EpubCheckMany() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: EpubCheckMany FILE...");
      System.exit(2);
    }
    // The report writes messages to standard error and notes to standard
    // output; one stream keeps each message between its file's markers.
    System.setErr(System.out);
    for (String path : args) {
      System.out.println("@@ BEGIN " + path);
      DefaultReportImpl report = new DefaultReportImpl(path);
      int driverFatals = 0;
      try {
        new EpubCheck(new File(path), report).doValidate();
      } catch (RuntimeException | StackOverflowError e) {
        // A crash inside the checker is a failed check, not a passed one.
        System.out.println("FATAL(driver): " + path + ": " + e);
        driverFatals = 1;
      }
      System.out.println(
          "@@ END "
              + path
              + " fatals="
              + (report.getFatalErrorCount() + driverFatals)
              + " errors="
              + report.getErrorCount()
              + " warnings="
              + report.getWarningCount()
              + " infos="
              + report.getInfoCount());
      System.out.flush();
    }
    System.exit(0);
  }
}
