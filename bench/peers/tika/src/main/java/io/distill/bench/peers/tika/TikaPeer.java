package io.distill.bench.peers.tika;

import org.apache.tika.Tika;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.sax.BodyContentHandler;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Text extraction the way Tika Server's {@code /tika} endpoint does it: the default
 * {@link AutoDetectParser}, embedded documents parsed by the same parser, the whole body as text.
 * OCR is off so that both sides measure the text layer (Distill's OCR is measured on its own).
 * One thread. Prints {@code version}, then {@code round <seconds>} per timed pass, then
 * {@code file <chars> <path>} or {@code error <path> <reason>} per file of the last pass.
 * <p>{@code java -cp … TikaPeer <timed rounds> <file with one path per line>}
 */
public final class TikaPeer {
    private TikaPeer() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        List<Path> files = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank()).map(Path::of).toList();
        AutoDetectParser parser = new AutoDetectParser();
        System.out.println("version " + new Tika());
        pass(parser, files, false);
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            pass(parser, files, r == rounds - 1);
            System.out.printf(Locale.ROOT, "round %.6f%n", (System.nanoTime() - t0) / 1e9);
        }
    }

    private static void pass(AutoDetectParser parser, List<Path> files, boolean print) {
        for (Path file : files) {
            try {
                int chars = extract(parser, file).length();
                if (print) {
                    System.out.println("file " + chars + " " + file);
                }
            } catch (Exception | StackOverflowError e) {
                if (print) {
                    System.out.println("error " + file + " " + String.valueOf(e).replaceAll("\\s+", " "));
                }
            }
        }
    }

    private static String extract(AutoDetectParser parser, Path file) throws Exception {
        ParseContext context = new ParseContext();
        context.set(Parser.class, parser);
        TesseractOCRConfig ocr = new TesseractOCRConfig();
        ocr.setSkipOcr(true);
        context.set(TesseractOCRConfig.class, ocr);
        BodyContentHandler text = new BodyContentHandler(-1);
        Metadata metadata = new Metadata();
        try (TikaInputStream in = TikaInputStream.get(file, metadata)) {
            parser.parse(in, text, metadata, context);
        }
        return text.toString();
    }
}
