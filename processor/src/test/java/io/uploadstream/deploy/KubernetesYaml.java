package io.uploadstream.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes objects parsed into fabric8's typed model as strictly as the API server reads them: an
 * unknown or misspelled field, a string where a number belongs or a number where a string belongs
 * fails. (fabric8's own deserializer would keep unknown fields in {@code additionalProperties}.)
 */
final class KubernetesYaml {
  private static final Map<String, Class<? extends HasMetadata>> MODELS =
      Map.of(
          "v1/Namespace", Namespace.class,
          "v1/ConfigMap", ConfigMap.class,
          "v1/Secret", Secret.class,
          "v1/Service", Service.class,
          "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
          "apps/v1/Deployment", Deployment.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
          "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

  /** Kinds without a fabric8 model (kustomize files, CRDs): checked field by field instead. */
  static final Set<String> STRUCTURAL =
      Set.of(
          "kustomize.config.k8s.io/v1beta1/Kustomization",
          "kustomize.config.k8s.io/v1alpha1/Component",
          "keda.sh/v1alpha1/ScaledObject",
          "monitoring.coreos.com/v1/ServiceMonitor");

  private static final ObjectMapper STRICT = strictMapper();

  private KubernetesYaml() {}

  static String typeOf(JsonNode document) {
    return document.path("apiVersion").asText() + "/" + document.path("kind").asText();
  }

  static boolean hasModel(String type) {
    return MODELS.containsKey(type);
  }

  /** The document as its typed model; throws if the model rejects any field. */
  static HasMetadata typed(JsonNode document) {
    Class<? extends HasMetadata> model = MODELS.get(typeOf(document));
    if (model == null) {
      throw new IllegalArgumentException("no typed model for " + typeOf(document));
    }
    return typed(document, model);
  }

  static <T> T typed(JsonNode document, Class<T> model) {
    try {
      return STRICT.treeToValue(document, model);
    } catch (Exception e) {
      throw new IllegalArgumentException(
          model.getSimpleName() + " rejected: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  private static ObjectMapper strictMapper() {
    ObjectMapper mapper =
        YAMLMapper.builder()
            // fabric8's classes route unknown fields to an @JsonAnySetter; ignore it so they fail.
            .annotationIntrospector(
                new JacksonAnnotationIntrospector() {
                  private static final long serialVersionUID = 1L;

                  @Override
                  public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                  }
                })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    for (CoercionInputShape shape :
        new CoercionInputShape[] {
          CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
        }) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    return mapper;
  }
}
