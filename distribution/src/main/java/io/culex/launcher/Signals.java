package io.culex.launcher;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * POSIX signals through {@code sun.misc.Signal} (module jdk.unsupported), looked up reflectively so that the
 * launcher still runs on a JVM without it: then SIGHUP keeps the JVM's default meaning and SIGTERM/SIGINT exit
 * with the JVM's code (143/130) after the shutdown hook has stopped the framework.
 */
final class Signals {
    private Signals() {
    }

    /** Calls {@code action} on the signal (in the JVM's signal dispatch thread); false if not possible. */
    static boolean handle(String name, Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> newSignal = signalClass.getConstructor(String.class);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            action.run();
                            return null;
                        }
                        switch (method.getName()) {
                            case "hashCode": return System.identityHashCode(proxy);
                            case "equals": return proxy == args[0];
                            default: return "SignalHandler[SIG" + name + "]";
                        }
                    });
            handle.invoke(null, newSignal.newInstance(name), handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Console.debug("Cannot handle SIG" + name + " (" + e + ")");
            return false;
        }
    }
}
