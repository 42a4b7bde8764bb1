# Redress: lo que leen los administradores al configurar la organización, en español.

## Todas las páginas de administración

admin-title = Administración
admin-lead = Quién trabaja en el escritorio, los equipos a los que pertenece, las causas raíz con las que se cierran los casos y lo que los clientes leen sobre ustedes.
admin-nav = Partes de la administración
admin-nav-overview = Resumen
admin-nav-staff = Personal
admin-nav-teams = Equipos
admin-nav-root-causes = Causas raíz
admin-nav-organisation = Su organización
admin-nav-mail = Correo a los clientes
admin-forbidden-title = Solo los administradores pueden abrir esta página
admin-forbidden-text = Su cuenta no puede cambiar la configuración del escritorio, y no se ha cambiado nada. Si algo de aquí necesita un cambio, pídaselo a un administrador.
admin-not-found-title = No hay nada en esta dirección
admin-not-found-text = Elija lo que necesite desde el resumen de la administración.
admin-status-active = Activo
admin-status-inactive = Inactivo
admin-col-status = Estado
admin-problem-too-long = Es más largo de lo que podemos aceptar aquí. Acórtelo, por favor.

## El resumen

admin-overview-staff = { $count ->
    [one] Una persona activa en el personal
   *[other] { $count } personas activas en el personal
}
admin-overview-staff-text = Añada personas, cambie su rol, su equipo y su límite de autorización, deles un nuevo enlace de contraseña o desactívelas.
admin-overview-teams = { $count ->
    [one] Un equipo activo
   *[other] { $count } equipos activos
}
admin-overview-teams-text = Los equipos a los que pertenece el personal; un caso sigue a su responsable a su equipo.
admin-overview-root-causes = { $count ->
    [one] Una causa raíz disponible
   *[other] { $count } causas raíz disponibles
}
admin-overview-root-causes-text = Entre lo que elige el personal al cerrar un caso, para que las quejas se conviertan en lecciones.
admin-overview-organisation-text = Su nombre, quién responde primero y en cuánto tiempo, todas las formas de contactarles con el horario, y las listas entre las que eligen los clientes.
admin-organisation-from-config = Los clientes leen los textos del archivo de configuración: nadie los ha guardado aquí todavía.
admin-organisation-saved = Los clientes leen los textos guardados aquí (versión { $count }).

## Personal

admin-staff-title = Personal
admin-col-name = Nombre
admin-col-email = Correo electrónico
admin-col-role = Rol
admin-col-team = Equipo
admin-col-limit = Límite de autorización
admin-role-agent = Agente
admin-role-supervisor = Supervisor
admin-role-admin = Administrador
admin-no-team = Sin equipo
admin-no-limit = Ninguno
admin-staff-none = Todavía no hay nadie en el personal.
admin-staff-add = Añadir a alguien al personal
admin-staff-add-lead = Recibirá un enlace para elegir su propia contraseña: hágaselo llegar usted mismo. Funciona una vez, durante tres días.
admin-field-name = Nombre
admin-field-email = Correo electrónico
admin-field-role = Rol
admin-field-role-hint = Los agentes trabajan los casos. Los supervisores además aprueban las compensaciones por encima del límite de un agente. Los administradores además gestionan todo lo de aquí.
admin-field-team = Equipo
admin-field-amount = Límite de autorización
admin-field-amount-hint = La mayor compensación que puede conceder sin la aprobación de un supervisor, como 50 o 12.50. Déjelo vacío, y también la moneda, para no darle ninguno: entonces toda compensación con importe espera aprobación.
admin-field-currency = Moneda del límite
admin-field-currency-hint = Tres letras, como EUR o GBP.
admin-staff-add-button = Añadir al personal
admin-staff-created = En el personal desde
admin-staff-edit = Rol, equipo y autorización
admin-staff-save = Guardar los cambios
admin-staff-you = Es su propia cuenta. Otro administrador puede cambiar su rol o desactivarla; usted no.
admin-staff-not-found-title = No existe esa persona en el personal
admin-staff-not-found-text = Elija a alguien de la lista del personal.
admin-link-title = El enlace de contraseña de { $name }
admin-link-text = Envíe este enlace a { $name } usted mismo, por ejemplo por chat o por teléfono. Funciona una vez, hasta el { $date }, y no se vuelve a mostrar: si se pierde, cree uno nuevo.
admin-link-new = Enlace de contraseña
admin-link-new-text = Quien olvidó su contraseña, o nunca la eligió, necesita un enlace nuevo. Cualquier enlace anterior deja de funcionar; su contraseña actual funciona hasta que elija otra.
admin-link-button = Crear un nuevo enlace de contraseña
admin-token-title = El token de API de { $name }
admin-token-text = Para un programa que usa la API en su nombre. No se vuelve a mostrar, y su token anterior deja de funcionar.
admin-token-new = Token de API
admin-token-new-text = Un programa que trabaja en nombre de esta persona necesita un token. Uno nuevo anula el anterior.
admin-token-button = Crear un nuevo token de API
admin-deactivate = Desactivar
admin-deactivate-text = Se cierra su sesión al instante, no puede entrar, y su token de API y su enlace de contraseña dejan de funcionar. Sus casos y su historial quedan como están.
admin-deactivate-button = Desactivar a { $name }
admin-reactivate = Reactivar
admin-reactivate-text = Podrá entrar de nuevo con su contraseña (o con un nuevo enlace de contraseña). Su token de API anterior sigue anulado.
admin-reactivate-button = Reactivar a { $name }
admin-done-added = { $name } ya está en el personal.
admin-done-changed = Los cambios de { $name } están guardados.
admin-done-deactivated = La cuenta de { $name } está desactivada y se han cerrado todas sus sesiones.
admin-done-reactivated = { $name } puede volver a entrar.
admin-problem-name = Escriba su nombre como deben leerlo sus compañeros y los clientes (200 caracteres como máximo).
admin-problem-email = Esto no parece un correo electrónico. Debería ser como nombre@ejemplo.com.
admin-problem-email-taken = Alguien del personal ya tiene este correo electrónico.
admin-problem-role = Elija un rol.
admin-problem-team = Elija un equipo de la lista.
admin-problem-amount = Escriba un importe como 50 o 12.50, con dos decimales como máximo, y una moneda.
admin-problem-currency = Escriba una moneda de tres letras, como EUR, junto con un importe.
admin-problem-own-role = No puede renunciar a su propio rol de administrador: otro administrador sí puede cambiarlo.
admin-problem-own-deactivate = No puede desactivarse a sí mismo: otro administrador sí puede.
admin-problem-last-admin = Así no quedaría nadie para administrar el escritorio: nombre antes a otra persona administradora. No se ha cambiado nada.
admin-problem-inactive = Esta persona está desactivada: reactívela primero. No se ha cambiado nada.

## Equipos

admin-teams-title = Equipos
admin-teams-lead = El personal pertenece a un equipo, y un caso sigue a su responsable a su equipo. Un equipo conserva su nombre; el que ya no se necesita se desactiva, y quien está en él sigue en él.
admin-col-description = Descripción
admin-col-members = Miembros activos
admin-teams-none = Todavía no hay equipos.
admin-team-deactivate-button = Desactivar { $name }
admin-team-reactivate-button = Reactivar { $name }
admin-team-add = Añadir un equipo
admin-field-team-name = Nombre del equipo
admin-field-description = Descripción
admin-team-add-button = Añadir el equipo
admin-problem-team-name = Dé un nombre al equipo (200 caracteres como máximo).
admin-problem-team-taken = Ya hay un equipo con este nombre.
admin-done-team-added = El equipo { $name } ya está en la lista.
admin-done-team-deactivated = El equipo { $name } está desactivado.
admin-done-team-reactivated = El equipo { $name } vuelve a estar activo.

## Causas raíz

admin-causes-title = Causas raíz
admin-causes-lead = Al cerrar un caso, el personal dice por qué ocurrió, eligiendo de esta lista. Una causa desactivada ya no se ofrece; los casos cerrados con ella la conservan.
admin-col-label = Nombre
admin-col-code = Código
admin-cause-relabel = Nuevo nombre para «{ $label }»
admin-cause-relabel-button = Guardar el nombre
admin-cause-deactivate-button = Desactivar «{ $label }»
admin-cause-reactivate-button = Reactivar «{ $label }»
admin-cause-add = Añadir una causa raíz
admin-field-label = Nombre
admin-field-code = Código
admin-field-code-hint = Letras minúsculas, cifras y _, como senalizacion_confusa. Si lo deja vacío, se forma a partir del nombre. No puede cambiar después.
admin-cause-add-button = Añadir la causa raíz
admin-problem-label = Escriba un nombre (200 caracteres como máximo).
admin-problem-code = Use solo letras minúsculas sin acentos, cifras y _, como senalizacion_confusa.
admin-problem-code-taken = Ya hay una causa raíz con este código.
admin-done-cause-added = «{ $label }» se ofrece al cerrar un caso.
admin-done-cause-changed = «{ $label }» está guardada.
admin-done-cause-deactivated = «{ $label }» ya no se ofrece al cerrar un caso.
admin-done-cause-reactivated = «{ $label }» vuelve a ofrecerse al cerrar un caso.

## La organización

admin-org-title = Su organización
admin-org-lead = Lo que los clientes leen en cada página y en cada primera respuesta. Una vez guardados aquí, estos textos sustituyen a los del archivo de configuración y llegan a todos los servidores en pocos segundos.
admin-field-org-name = El nombre de su organización, como la conocen los clientes
admin-field-care-team = Quién responde a los casos nuevos
admin-field-care-team-hint = Hasta que una persona se hace cargo del caso, como «el equipo de atención del Hotel Riverside». Si lo deja vacío, los clientes leen «el equipo de atención al cliente».
admin-field-days = En cuántos días cada cliente recibe respuesta de una persona
admin-field-org-email = Correo electrónico al que pueden escribir los clientes
admin-field-phone = Teléfono al que pueden llamar los clientes
admin-field-hours = Horario de atención
admin-field-hours-hint = Una línea cada uno, como «De lunes a viernes, de 8:00 a 18:00».
admin-field-address = Dirección postal
admin-field-products = Productos y servicios
admin-field-products-hint = Uno por línea. Los clientes eligen entre ellos en el formulario; si lo deja vacío, lo escriben con sus propias palabras.
admin-field-locations = Lugares
admin-field-locations-hint = Sucursales o centros, uno por línea. Los clientes eligen entre ellos; si lo deja vacío, lo escriben con sus propias palabras.
admin-org-save = Guardar los textos
admin-done-org = Guardado. Los clientes ya leen los nuevos textos.
admin-problem-org-name = Escriba el nombre de su organización (200 caracteres como máximo).
admin-problem-days = Escriba un número entero de días, de 1 a 90.
admin-problem-phone = Escriba un número de teléfono con sus cifras.
admin-problem-list = Cada línea debe tener menos de 200 caracteres, y 100 líneas como máximo.
admin-problem-changed = Otra persona guardó estos textos mientras usted los editaba. Sus palabras siguen abajo y todavía no se ha guardado nada suyo: revíselas y vuelva a guardar para sustituir las de la otra persona.

## El correo a los clientes

admin-mail-title = Correo a los clientes
admin-mail-lead = Cada correo que recibe un cliente sobre su caso se redacta con estos textos, en el idioma del cliente. Una vez guardado aquí, un texto llega al correo que escribe cada servidor en pocos segundos; «Volver al texto original» lo deshace.
admin-mail-notation = Donde va un dato del caso, escriba su variable con las llaves, como {"{"} $link {"}"}. Solo pueden usarse las variables indicadas para cada texto. Una línea no puede empezar por [, * o . y una llave suelta se escribe {"{"}"{"{"}"{"}"}.
admin-mail-variables = Variables que puede usar
admin-mail-shipped = El texto original.
admin-mail-changed = Cambiado el { $date }.
admin-mail-save = Guardar «{ $name }» ({ $language })
admin-mail-reset = Volver al texto original de «{ $name }» ({ $language })
admin-mail-preview = Vista previa con datos de ejemplo
admin-done-mail-saved = Guardado. El correo en { $language } ya se redacta con el nuevo texto.
admin-done-mail-reset = El correo en { $language } vuelve a redactarse con el texto original.
admin-problem-mail-empty = Escriba el texto: un correo no puede estar vacío.
admin-problem-mail-too-long = Este texto es demasiado largo: no supere los 20.000 caracteres.
admin-problem-mail-line-start = Aquí una línea no puede empezar por [, * o .: escriba {"{"}"*"{"}"} para un * al principio de una línea.
admin-problem-mail-syntax = Cada {"{"} necesita su {"}"}, alrededor de una variable como {"{"} $link {"}"}. Para escribir una llave como texto, use {"{"}"{"{"}"{"}"}.
admin-problem-mail-variable = Este texto no recibe { $name }: use solo las variables indicadas para él.
admin-problem-mail-reference = No hay ningún texto llamado { $name }: ponga un $ delante del nombre de una variable.
admin-mail-acknowledgement-title = El acuse de recibo
admin-mail-acknowledgement-about = Se envía en cuanto llega un caso: repite las palabras del cliente y dice quién le responderá y cuándo.
admin-mail-reply-footer-title = Debajo de cada respuesta
admin-mail-reply-footer-about = Se añade debajo de cada respuesta escrita en el escritorio, tras sus propias palabras.
admin-mail-resolution-proposed-title = Una solución propuesta
admin-mail-resolution-proposed-about = Se envía cuando se propone una solución, con el enlace donde el cliente la acepta o dice qué la arreglaría.
admin-mail-follow-up-title = Las preguntas de seguimiento
admin-mail-follow-up-about = Se envía cuando el caso está resuelto: las preguntas que dicen si de verdad se arregló.
admin-mail-subject-title = El asunto
admin-mail-subject-about = El asunto de cada correo sobre un caso. Mantenga la referencia entre corchetes: las respuestas del cliente encuentran su caso gracias a ella.
admin-mail-greeting-name-title = El saludo, con el nombre del cliente
admin-mail-greeting-name-about = Cómo empieza cada correo cuando el cliente dio su nombre.
admin-mail-greeting-title = El saludo, sin nombre
admin-mail-greeting-about = Cómo empieza cada correo cuando el cliente no dio su nombre.
admin-mail-signature-person-title = La firma de una persona
admin-mail-signature-person-about = Cómo termina cada correo mientras una persona se ocupa del caso.
admin-mail-signature-team-title = La firma de la organización
admin-mail-signature-team-about = Cómo termina cada correo mientras nadie se ocupa del caso.
admin-mail-var-greeting = el saludo, con el nombre del cliente si lo dio
admin-mail-var-acknowledgement = las palabras del cliente repetidas, quién responde y cuándo
admin-mail-var-link = el enlace privado del cliente a su caso
admin-mail-var-signature = la firma, de una persona o de la organización
admin-mail-var-reference = la referencia del caso
admin-mail-var-proposal = la solución propuesta, con las palabras del escritorio
admin-mail-var-organisation = el nombre de su organización
admin-mail-var-who = el nombre de la persona que se ocupa del caso
admin-mail-var-name = el nombre del cliente
admin-mail-sample-name = Kim Lee
admin-mail-sample-who = Sam Taylor
admin-mail-sample-acknowledgement = Hemos recibido su reclamación sobre la calefacción de la habitación 12, y lamentamos la noche de frío. Sam Taylor le responderá antes del viernes 11 de diciembre.
admin-mail-sample-proposal = El reembolso de una noche, 120 €, por transferencia en cinco días.

## El enlace de contraseña, para la persona a la que va dirigido

admin-welcome-title = Elija su contraseña
admin-welcome-lead = Le damos la bienvenida, { $name }. Elija una contraseña para entrar en el escritorio como { $email }. Este enlace funciona una vez.
admin-welcome-button = Guardar mi contraseña y entrar
admin-welcome-used-title = Este enlace no se puede usar
admin-welcome-used = Ya se ha usado, un enlace más reciente lo ha sustituido, o ha caducado. Pida uno nuevo a un administrador.
