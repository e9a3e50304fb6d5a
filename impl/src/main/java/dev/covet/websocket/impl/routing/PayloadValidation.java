package dev.covet.websocket.impl.routing;

import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

import dev.covet.websocket.impl.json.Envelopes;

/**
 * Bean Validation of bound payloads: the container's {@code Validator} bean when it has one (EE servers,
 * hibernate-validator-cdi), else one bootstrapped from the class path; without any provider, payloads are not
 * validated and that is logged once. Thread-safe.
 */
final class PayloadValidation {

    private static final System.Logger LOG = System.getLogger(PayloadValidation.class.getName());

    private final Validator validator;

    PayloadValidation(Instance<Validator> bean) {
        Validator found = null;
        if (bean.isResolvable()) {
            found = bean.get();
        } else {
            try {
                found = Validation.buildDefaultValidatorFactory().getValidator();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "No Bean Validation provider; payloads are not validated: "
                        + e.getMessage());
            }
        }
        this.validator = found;
    }

    /** @return one detail per violated property path, sorted by path then message; empty when valid */
    List<Envelopes.Detail> check(Object payload) {
        if (validator == null || payload == null || payload instanceof byte[]) {
            return List.of();
        }
        return validator.validate(payload).stream()
                .map(v -> new Envelopes.Detail(v.getPropertyPath().toString(), v.getMessage()))
                .sorted(Comparator.comparing(Envelopes.Detail::path).thenComparing(Envelopes.Detail::message))
                .toList();
    }
}
