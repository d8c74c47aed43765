package dev.compliance.streams;

import dev.compliance.serde.RegistryUnavailableException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

import java.util.Map;

/**
 * Nothing is lost, in both directions. A record that is bad (bytes that cannot be read, a processing
 * failure caused by the record) goes to the dead-letter topic and processing continues. A failure that
 * is not the record's fault — the schema registry unreachable — must not dead-letter good records:
 * the task fails, its transaction aborts, the stream thread is replaced
 * (StreamsUncaughtExceptionHandler REPLACE_THREAD) and the record is read again from the last
 * committed offset once the registry answers.
 */
public final class ErrorHandlers {

    private ErrorHandlers() {
    }

    /** True when the failure is an outage rather than a property of the record. */
    public static boolean transientOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }

    public static final class Deserialization implements DeserializationExceptionHandler {
        private final LogAndContinueExceptionHandler deadLetter = new LogAndContinueExceptionHandler();

        @Override
        public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
            if (transientOutage(exception)) {
                return Response.fail();
            }
            return deadLetter.handleError(context, record, exception);
        }

        @Override
        public void configure(Map<String, ?> configs) {
            deadLetter.configure(configs);
        }
    }

    public static final class Processing implements ProcessingExceptionHandler {
        private final LogAndContinueProcessingExceptionHandler deadLetter = new LogAndContinueProcessingExceptionHandler();

        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            if (transientOutage(exception)) {
                return Response.fail();
            }
            return deadLetter.handleError(context, record, exception);
        }

        @Override
        public void configure(Map<String, ?> configs) {
            deadLetter.configure(configs);
        }
    }
}
