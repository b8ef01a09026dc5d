package io.culex.plugins.internal.features;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads a features file in the subset of Karaf's features XML that Culex uses ({@code features/README.md}):
 * {@code <feature name>} with {@code <feature>}, {@code <bundle>} and {@code <config name="pid">} children.
 */
final class FeaturesFile {

    private FeaturesFile() {
    }

    /**
     * @return the features of the file, by name
     * @throws IOException naming the file if it cannot be read or is not such XML
     */
    static Map<String, FeatureDescriptor> read(Path file) throws IOException {
        Document document;
        try (InputStream in = Files.newInputStream(file)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // a configuration file, not a document from the network: still, no external entities
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setNamespaceAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            document = builder.parse(in);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("Error: invalid features file " + file + ": " + e.getMessage(), e);
        }
        Map<String, FeatureDescriptor> features = new LinkedHashMap<>();
        NodeList nodes = document.getDocumentElement().getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element && "feature".equals(((Element) nodes.item(i)).getTagName())) {
                FeatureDescriptor feature = feature((Element) nodes.item(i), file);
                features.put(feature.name(), feature);
            }
        }
        return features;
    }

    private static FeatureDescriptor feature(Element element, Path file) throws IOException {
        String name = element.getAttribute("name");
        if (name.isBlank()) {
            throw new IOException("Error: a feature without a name in " + file);
        }
        List<String> features = new ArrayList<>();
        List<String> bundles = new ArrayList<>();
        Map<String, Map<String, String>> configurations = new LinkedHashMap<>();
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node node = children.item(i);
            if (!(node instanceof Element)) {
                continue;
            }
            Element child = (Element) node;
            String text = child.getTextContent().trim();
            switch (child.getTagName()) {
                case "feature":
                    features.add(text);
                    break;
                case "bundle":
                    bundles.add(text);
                    break;
                case "config":
                    configurations.put(child.getAttribute("name"), properties(text));
                    break;
                default:
                    // other Karaf elements (details, capabilities) are not used by Culex
            }
        }
        return new FeatureDescriptor(name, features, bundles, configurations);
    }

    /** The body of {@code <config>}: {@code key = value} lines, as in a {@code .cfg} file. */
    private static Map<String, String> properties(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        Map<String, String> result = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            result.put(key, properties.getProperty(key));
        }
        return result;
    }
}
