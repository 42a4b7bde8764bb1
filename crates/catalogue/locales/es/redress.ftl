# Redress: lo que leen los clientes, en español.
# Tratamos al cliente de usted: respeto sin frialdad. Los argumentos se escriben { $así }.

language-name = Español

## Fechas

date = { $day } de { $month } de { $year }
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre

default-care-team = el equipo de atención al cliente

## Todas las páginas

skip-to-content = Ir al contenido principal
nav-reach-us = Cómo contactarnos
nav-complain = Cuéntenos qué pasó
language-choice = Idioma
footer-privacy = Lo que nos cuenta se usa solo para resolverlo y para evitar que vuelva a ocurrir.
optional = opcional

## Cómo contactarnos (/)

reach-title = Cómo contactarnos
reach-lead = ¿Algo salió mal o no como debía? Cuéntenoslo. Una persona lee cada mensaje, y una persona se ocupa de su caso hasta resolverlo.
reach-form-heading = Escríbanos aquí
reach-form-text = Un formulario breve, sin necesidad de cuenta. Le llevará un par de minutos.
reach-form-button = Cuéntenos qué pasó
reach-email-heading = Por correo electrónico
reach-email-text = Escríbanos a
reach-email-note = Su correo llega a las mismas personas que el formulario.
reach-phone-heading = Por teléfono
reach-phone-text = Llámenos al
reach-hours-heading = Cuándo atendemos el teléfono
reach-post-heading = Por correo postal
reach-next-heading = Qué pasa después
reach-next-text = { $team } lee lo que nos envía y le responde personalmente en { $days ->
    [one] un día
   *[other] { $days } días
} como máximo. Recibe una referencia y un enlace privado para seguir su caso, y nunca tendrá que explicarlo dos veces.
reach-other-heading = ¿No es una queja?
reach-other-text = El mismo formulario sirve para preguntas, para felicitar a alguien que le ayudó y para ideas que nos mejoren.
reach-track-heading = ¿Ya nos escribió?
reach-track-text = Abra el enlace privado que le dimos cuando nos escribió. Muestra en qué punto está su caso y le permite respondernos.

## Cuéntenos qué pasó (/complain)

complain-title = Cuéntenos qué pasó
complain-lead = Solo necesitamos dos cosas: qué pasó y una forma de contactarle. Todo lo demás es opcional.
kind-legend = ¿Qué desea hacer?
kind-complaint = Algo salió mal
kind-inquiry = Tengo una pregunta
kind-compliment = Quiero felicitar a alguien
kind-suggestion = Tengo una idea para mejorar
field-what-happened = ¿Qué pasó?
field-what-happened-hint = Con sus propias palabras. Las fechas, nombres y números nos ayudan, pero escríbalo como le salga.
field-what-happened-question = ¿Qué le gustaría saber?
field-make-it-right = ¿Qué lo arreglaría para usted?
field-make-it-right-hint = Por ejemplo, un reemplazo, un reembolso, una disculpa, o simplemente que no vuelva a ocurrir.
field-needed-by = ¿Para cuándo necesita que esté resuelto?
field-needed-by-hint = Si una fecha le importa, díganosla: nos organizamos en función de ella.
field-product = ¿Sobre qué es?
field-product-choose = Elija, o déjelo vacío
field-location = ¿Dónde ocurrió?
field-location-choose = Elija, o déjelo vacío
field-attachments = Fotos o documentos
field-attachments-hint = Hasta { $count } fotos (JPEG, PNG, GIF, WebP) o PDF, de { $size } como máximo cada uno.
contact-legend = ¿Cómo podemos contactarle?
contact-hint = Un correo electrónico o un teléfono: con uno basta.
field-name = Su nombre
field-email = Correo electrónico
field-phone = Teléfono
field-preferred = ¿Cómo prefiere que le respondamos?
channel-email = Por correo electrónico
channel-phone = Por teléfono
channel-sms = Por mensaje de texto
channel-post = Por correo postal
channel-no-preference = Sin preferencia
honeypot-label = Deje este campo vacío
complain-submit = Enviar
sending = Enviando…
complain-privacy = Usamos sus datos de contacto solo para responderle sobre esto.

## Problemas con el formulario

form-has-problems = { $count ->
    [one] Revise una cosa más abajo.
   *[other] Revise { $count } cosas más abajo.
} Todo lo que escribió sigue aquí.
problem-what-happened-missing = Cuéntenos qué pasó, con pocas o muchas palabras.
problem-what-happened-long = Es más largo de lo que podemos recibir de una vez (20.000 caracteres). Acórtelo, o envíe el resto en una respuesta cuando tenga su enlace.
problem-contact-missing = Díganos un correo electrónico o un teléfono para poder responderle.
problem-email = Esto no parece un correo electrónico. Debería ser como nombre@ejemplo.com.
problem-phone = Esto no parece un número de teléfono. Use cifras, espacios y, si quiere, un + al principio.
problem-needed-by-past = Elija hoy o una fecha posterior.
problem-needed-by = Escriba la fecha como año-mes-día, por ejemplo 2026-12-03.
problem-too-long = Es más largo de lo que podemos recibir aquí. Acórtelo, por favor.
problem-attachments-type = «{ $name }» no es una foto ni un PDF, así que no podemos recibirlo. Comprobamos el archivo en sí, no su nombre.
problem-attachments-size = «{ $name }» ocupa más de { $size }. Una foto más pequeña o un escaneo de menor calidad servirán.
problem-attachments-empty = «{ $name }» está vacío.
problem-attachments-count = Adjunte como máximo { $count } archivos.
problem-attachments-broke = No pudimos recibir todos los archivos: quizá juntos ocupan demasiado, o se cortó la conexión. Elija menos archivos, o más pequeños, y envíelo de nuevo.
problem-attachments-again = Por su seguridad, los archivos no se conservan cuando el formulario vuelve. Elíjalos de nuevo, por favor.
problem-choose = Elija una de las opciones, por favor.
problem-general = Revise esto, por favor.
problem-message-missing = Escriba aquí su mensaje antes de enviarlo.
problem-make-it-right-missing = Díganos qué lo arreglaría, para que podamos trabajar en ello.
problem-answer-yes-no = Responda sí o no, por favor.
problem-score = Elija un número del 1 al 5, por favor.
problem-honeypot = Se rellenó un campo que debía quedar vacío. Puede pasar cuando el navegador rellena formularios por su cuenta. Lo hemos vaciado: revise lo que escribió y envíelo de nuevo.
problem-form-expired = Este formulario había caducado, así que aún no se envió nada. Todo lo que escribió sigue aquí: envíelo de nuevo, por favor.
problem-no-cookie = Su navegador no devolvió la pequeña cookie de seguridad que necesita este formulario, así que no se envió nada. Permita las cookies de este sitio y envíelo de nuevo, o escríbanos por correo electrónico o llámenos.
problem-too-fast = Ha enviado varios formularios en poco tiempo, así que hemos hecho una pausa para comprobar que no es un programa automático. Espere { $minutes ->
    [one] un minuto
   *[other] { $minutes } minutos
} y envíelo de nuevo. Todo lo que escribió sigue aquí.
problem-wrong-state = Esto ya no se podía hacer: su caso ha avanzado desde que se mostró la página. Así está ahora.
problem-unavailable-title = Lo sentimos, algo falló por nuestra parte
problem-unavailable = No pudimos hacerlo en este momento. Inténtelo de nuevo en un minuto. Si nos estaba enviando algo, la página de su caso mostrará si llegó; si no llegó, no se registró nada.
problem-storage = No pudimos guardarlo en este momento: no se ha perdido nada, pero tampoco se ha enviado. Inténtelo de nuevo en un minuto.

## Recibido

received-title-complaint = Hemos recibido su queja, y lamentamos lo ocurrido
received-title-inquiry = Hemos recibido su pregunta
received-title-compliment = Hemos recibido sus amables palabras
received-title-suggestion = Hemos recibido su idea
received-already = Ya nos lo había enviado, así que lo hemos guardado una sola vez.
quoted = «{ $text }»
received-reference = Su referencia
received-link-heading = Su enlace privado
received-link-text = Este enlace es la única llave de su caso: con él puede ver en qué punto está, respondernos y contarnos cómo fue. Guárdelo y no lo comparta.
received-what-you-said = Nos contó
received-what-you-asked = Nos preguntó
received-what-you-wrote = Nos escribió
received-make-it-right = Qué lo arreglaría para usted
received-needed-by = Necesita que esté resuelto para el { $date }. Hemos anotado esa fecha y trabajamos con ella.
received-who-team = { $team } lo estudiará y le responderá personalmente antes del { $date }.
received-who-person = { $who } se ocupa de su caso y le responderá personalmente antes del { $date }.
received-who-no-date = { $team } lo estudiará y le responderá personalmente.
received-compliment-next = Haremos llegar sus palabras a las personas a las que se refieren.
received-attachments = Archivos que nos envió
received-follow = Seguir su caso

## Su caso (/track/…)

track-title = Su caso { $reference }
track-status-heading = En qué punto está
track-looked-after-by = Se ocupa: { $who }
track-reply-by = Tendrá noticias nuestras antes del { $date }.
track-needed-by = Pidió que estuviera resuelto para el { $date }.
track-your-words = Lo que nos contó
track-your-make-it-right = Qué lo arreglaría para usted
track-history = Lo que ha pasado hasta ahora
track-attachments = Sus archivos
track-commitments = Lo que le hemos prometido
track-commitment = { $what }, antes del { $date }: { $how }
track-commitment-kept = Hecho
track-commitment-missed = No lo cumplimos
track-remedies = Lo que hacemos para arreglarlo
remedy-restitution = Para reponer lo que perdió
remedy-goodwill = Como gesto de buena voluntad
track-reply-heading = Escríbanos
track-reply-label = Su mensaje
track-reply-hint = Algo que añadir, una pregunta o algo que haya cambiado. Va directamente a su caso.
track-reply-send = Enviar mensaje
track-resolution-heading = Lo que le proponemos
track-resolution-question = ¿Esto lo arregla para usted?
track-accept = Sí, esto lo arregla
track-reject-label = Si no, ¿qué lo arreglaría?
track-reject = No, enviar qué lo arreglaría
track-follow-up-heading = ¿Cómo fue?
track-follow-up-lead = Su caso está resuelto. Tres preguntas, para saber si de verdad lo arreglamos. Un «no» a cualquiera de ellas vuelve a abrir su caso.
follow-up-went-as-expected = ¿Salió todo como esperaba?
follow-up-delivered = ¿Cumplimos lo que prometimos?
follow-up-met-expectations = ¿Estuvimos a la altura de sus expectativas?
answer-yes = Sí
answer-no = No
follow-up-score = En general, ¿cómo lo hicimos?
score-1 = 1, muy mal
score-2 = 2, mal
score-3 = 3, aceptable
score-4 = 4, bien
score-5 = 5, muy bien
follow-up-comments = ¿Algo más que quiera añadir?
follow-up-send = Enviar mis respuestas
track-done-reply = Su mensaje está en su caso. Le responderemos personalmente.
track-done-accept = Gracias. Su caso está resuelto; pronto le preguntaremos cómo fue.
track-done-reject = Gracias por decírnoslo. Su caso está abierto de nuevo y trabajamos en lo que nos pidió.
track-done-follow-up = Gracias. Leemos cada respuesta.
track-done-reopened = Gracias por decírnoslo. Hemos vuelto a abrir su caso y lo arreglaremos.
track-not-found-title = No encontramos ningún caso con este enlace
track-not-found-text = Compruebe que abrió el enlace completo de nuestro mensaje; a veces se corta en dos líneas. Si sigue sin funcionar, escríbanos o llámenos y encontraremos su caso.

## Estado, en palabras del cliente

status-new = Lo hemos recibido
status-acknowledged = Nos estamos ocupando
status-investigating = Lo estamos estudiando
status-awaiting_customer = Esperamos su respuesta
status-awaiting_operations = Lo estamos consultando con nuestros compañeros
status-resolution_proposed = Le hemos propuesto una forma de arreglarlo
status-resolved = Resuelto
status-closed = Cerrado
status-reopened = Reabierto: volvemos a trabajar en ello
status-declined = Rechazado
status-withdrawn = Retirado

## La historia de un caso, en palabras del cliente

event-by-you = Usted
event-received = Nos contó qué pasó.
event-acknowledged = Le confirmamos que tenemos su caso.
event-status-changed = { $status }
event-message-from-customer = Nos escribió.
event-message-to-customer = Le escribimos.
event-commitment-made = Le prometimos: { $what }, antes del { $date }.
event-commitment-kept = Cumplimos una promesa.
event-commitment-missed = No cumplimos una promesa a tiempo.
event-remedy = Lo estamos arreglando: { $what }.
event-resolution-proposed = Le propusimos una forma de arreglarlo.
event-resolution-accepted = Aceptó lo que le propusimos.
event-resolution-rejected = Nos dijo qué lo arreglaría.
event-follow-up-answered = Nos contó cómo fue.
event-other = Su caso se actualizó.
